//! Identifier algorithms: resident ID numbers, unified social credit codes, phone numbers, domains and e-mail.
//! Pure functions over text; the tables they need (mobile ranges, area codes) are data passed in.

pub(crate) mod divisions;
pub(crate) mod domain;
pub(crate) mod idcard;
pub(crate) mod phone;
pub(crate) mod uscc;
