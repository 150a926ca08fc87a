//! Integrity: hashing files into chunk leaves and a SHA-256 ([`hashing`]), and checking
//! installed files against a manifest ([`verify`]).

pub mod hashing;
pub mod verify;
