//! (being written)
use std::sync::Arc;
/// stub
#[derive(Debug)]
pub struct AlipaySandbox;
/// stub
pub fn router(_s: Arc<AlipaySandbox>) -> axum::Router {
    axum::Router::new()
}
