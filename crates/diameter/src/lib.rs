//! Diameter codec and dictionary for keepsim's online charging system (Gy).
//!
//! Pure: bytes in, values out, no I/O. [`frame_len`] cuts messages from a byte stream,
//! [`Message::decode`] / [`Message::encode`] convert them, [`dictionary`] names the codes, and
//! [`gy`] turns a Credit-Control-Request into a [`gy::Ccr`] and builds the answers (CCA, CEA, DWA,
//! DPA, error answers).
//!
//! Covers RFC 6733 (base protocol), RFC 8506 (Diameter Credit-Control Application) and the Gy
//! AVPs of 3GPP TS 32.299 that keepsim needs.
//!
//! ```
//! use keepsim_diameter::dictionary::{command, result_code};
//! use keepsim_diameter::gy::{self, Ccr, LocalPeer};
//! use keepsim_diameter::{Message, frame_len};
//!
//! # fn main() -> Result<(), keepsim_diameter::DecodeError> {
//! let local = LocalPeer::new("ocs.keepsim.local", "keepsim.local", vec!["127.0.0.1".parse().unwrap()]);
//! # let mut buffer = gy::dwr(&LocalPeer::new("pgw", "example.com", vec![]), 1, 1).encode();
//! // `buffer` holds bytes read from a peer; cut complete messages off its front.
//! while let Some(len) = frame_len(&buffer, 64 * 1024)? {
//!     if buffer.len() < len {
//!         break; // read more
//!     }
//!     let request = Message::decode(&buffer[..len], 64 * 1024)?;
//!     buffer.drain(..len);
//!     let answer = match request.header.command_code {
//!         command::DEVICE_WATCHDOG => gy::dwa(&request, &local, result_code::SUCCESS),
//!         command::CREDIT_CONTROL => match Ccr::parse(&request) {
//!             Ok(ccr) => gy::cca(&request, &ccr, &local.origin_host, &local.origin_realm, result_code::SUCCESS, vec![]),
//!             Err(e) => gy::error_answer(
//!                 &request, &local.origin_host, &local.origin_realm, e.result_code, e.failed_avp, Some(&e.message),
//!             ),
//!         },
//!         _ => gy::error_answer(
//!             &request, &local.origin_host, &local.origin_realm, result_code::COMMAND_UNSUPPORTED, None, None,
//!         ),
//!     };
//!     let _bytes_to_write: Vec<u8> = answer.encode();
//! }
//! # Ok(())
//! # }
//! ```

pub mod avp;
pub mod dictionary;
pub mod error;
pub mod gy;
pub mod header;
pub mod message;

pub use avp::{Avp, AvpData, AvpFlags};
pub use error::{DecodeError, EncodeError};
pub use header::{CommandFlags, Header};
pub use message::{FindAvp, Message, frame_len};
