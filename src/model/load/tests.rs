//! Unit tests of the loader, from in-memory text.
