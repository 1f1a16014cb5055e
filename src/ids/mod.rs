//! Identifier algorithms: resident ID numbers, unified social credit codes, phone numbers, domains and e-mail.
//! Pure functions over text; the tables they need (mobile ranges, area codes) are data passed in.

pub mod divisions;
pub mod domain;
pub mod idcard;
pub mod phone;
pub mod uscc;
