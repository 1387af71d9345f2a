//! milaf turns a folder of source articles and the editorial files that
//! annotate them into a cross-linked, right-to-left static site.

pub mod diag;
pub mod import;
pub mod load;
