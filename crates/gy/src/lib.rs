//! keepsim's Diameter Gy server (RFC 6733 base, RFC 8506 credit control,
//! 3GPP TS 32.299 Gy), shaped like mini-redis: [`server`] accepts TCP peers
//! (allow-list, connection limit, graceful shutdown) and runs each peer's
//! state machine (CER/CEA first, then DWR/DWA, DPR/DPA and CCR/CCA);
//! [`app`] answers Credit-Control requests by calling the charging service.
//! The codec lives in `keepsim-diameter`.

pub mod app;
pub mod peers;
pub mod server;

pub use app::{GyApp, RatingGroups};
pub use peers::AllowList;
pub use server::{GyConfig, serve};
