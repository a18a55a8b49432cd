//! Annual review and quality rating (kiểm điểm, đánh giá, xếp loại chất lượng): so far the rating
//! schemes as dated editions, which the ratings capability will use to judge each year's ratings
//! by the scheme of that year (DOMAIN.md §2).

pub mod rules;
