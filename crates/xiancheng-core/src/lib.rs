//! The domain of xiancheng: what a county-town urbanization work plan is made of.
//!
//! This crate is pure: no IO, no async, no SQL, no HTTP. Values that enter the system are
//! parsed into validated newtypes here ([`DivisionCode`], [`ProjectCode`], [`Money`],
//! [`YearMonth`], [`Percent`], [`Date`]), so the rest of the system never sees a bad value.
//! Entities live in [`model`]; a whole county's records travel together as a
//! [`dataset::CountyDataset`], which is what the store writes and reads back.

pub mod analysis;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod codes;
pub mod dataset;
pub mod dispatch;
pub mod enums;
pub mod error;
pub mod ids;
pub mod model;
pub mod money;
pub mod period;

pub use codes::{DivisionCode, ProjectCode};
pub use error::{ValidationError, ValidationErrors};
pub use money::Money;
pub use period::{Date, Percent, Timestamp, YearMonth};
