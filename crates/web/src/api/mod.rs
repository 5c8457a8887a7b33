//! The customer JSON API under `/api/v1`.

pub mod auth;
pub mod catalogue;
pub mod devices;
pub mod lines;
pub mod notifications;
pub mod orders;
pub mod usage;

use crate::problem::Problem;
use axum::http::StatusCode;
use keepsim_store::Page;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The default page size of lists.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest page size of lists.
pub const MAX_LIMIT: u32 = 200;

/// `?limit=&cursor=` of a paginated list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// At most this many items (1–200, default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The store page this asks for.
    pub fn page(&self) -> Result<Page, Problem> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("limit must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let after = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(
                Uuid::parse_str(c)
                    .map_err(|_| Problem::new(StatusCode::BAD_REQUEST, "invalid_query", "unknown cursor"))?,
            ),
            None => None,
        };
        // One extra item tells whether there is a next page.
        Ok(Page { after, limit: limit + 1 })
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paginated<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl<T> Paginated<T> {
    /// Builds a page from `limit + 1` fetched items.
    pub fn from_fetched(mut items: Vec<T>, page: Page, id: impl Fn(&T) -> Uuid) -> Paginated<T> {
        let limit = (page.limit - 1) as usize;
        let next_cursor = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|i| id(i).to_string())
        } else {
            None
        };
        Paginated { items, next_cursor }
    }
}
