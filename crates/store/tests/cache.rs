//! The figure cache keeps an entry until a change reaches its unit's subtree on or before its
//! window's end, on both engines: a change elsewhere, or later than the window, leaves it; a change
//! inside drops it, and the next answer has the change.

use std::sync::Arc;

use dangbo_store::Db;
use dangbo_store::access::{Access, EventInput, FigureCache, Window, find_figure};
use dangbo_testkit::fixture::{system, two_communes};
use dangbo_testkit::{conformance, d};

fn year(y: i32) -> Window {
    Window {
        as_of: d(y, 12, 31),
        from: d(y, 1, 1),
        to: d(y, 12, 31),
    }
}

async fn total(access: &Access, unit: &str, window: &Window) -> i64 {
    let keys = [find_figure("members.total").unwrap()];
    let (_, values) = access
        .figures(unit, &keys, window, false)
        .await
        .unwrap()
        .unwrap();
    values[0].value.as_count().unwrap()
}

async fn death(access: &Access, code: &str, date: &str) {
    let input = EventInput {
        kind: "death".into(),
        date: date.into(),
        ..EventInput::default()
    };
    access
        .editor()
        .unwrap()
        .record_event(code, &input)
        .await
        .unwrap();
}

async fn cache_follows_what_changes_touch(db: &Db) {
    two_communes(db).await;
    let cache = Arc::new(FigureCache::default());
    let access = system(db).with_cache(cache.clone());
    let y2021 = year(2021);
    // Each commune has two members; the province four.
    assert_eq!(total(&access, "XA", &y2021).await, 2);
    assert_eq!(total(&access, "XB", &y2021).await, 2);
    assert_eq!(total(&access, "T", &y2021).await, 4);
    assert_eq!(cache.counts(), (0, 3));
    assert_eq!(total(&access, "XA", &y2021).await, 2);
    assert_eq!(cache.counts(), (1, 3));

    // A death in XB in 2021: XA's entry holds; XB's and the province's are evaluated again.
    death(&access, "B1", "2021-06-01").await;
    assert_eq!(total(&access, "XA", &y2021).await, 2);
    assert_eq!(cache.counts(), (2, 3));
    assert_eq!(total(&access, "XB", &y2021).await, 1);
    assert_eq!(total(&access, "T", &y2021).await, 3);
    assert_eq!(cache.counts(), (2, 5));

    // A death in XA in 2023 leaves the figures of 2021 where they were, and changes 2023's.
    let y2023 = year(2023);
    assert_eq!(total(&access, "XA", &y2023).await, 2);
    death(&access, "A1", "2023-03-01").await;
    assert_eq!(total(&access, "XA", &y2021).await, 2);
    assert_eq!(total(&access, "T", &y2021).await, 3);
    let (hits, misses) = cache.counts();
    assert_eq!((hits, misses), (4, 6));
    assert_eq!(total(&access, "XA", &y2023).await, 1);
    assert_eq!(total(&access, "T", &y2023).await, 2);
    assert_eq!(cache.counts(), (4, 8));

    // An edit of a field figures count, with no event: Lường Thị Ánh (XA) recorded as a man.
    let female = [find_figure("members.female").unwrap()];
    let women = |access: &Access| {
        let female = female.clone();
        let access = access.clone();
        async move {
            let (_, v) = access
                .figures("XA", &female, &y2021, false)
                .await
                .unwrap()
                .unwrap();
            v[0].value.as_count().unwrap()
        }
    };
    assert_eq!(women(&access).await, 1);
    let view = access.member("A2", d(2021, 12, 31)).await.unwrap().unwrap();
    let record = dangbo_domain::members::MemberRecord {
        sex: dangbo_domain::members::Sex::Male,
        ..view.member.record.clone()
    };
    access
        .editor()
        .unwrap()
        .update_member("A2", &record, view.member.version, d(2021, 12, 31))
        .await
        .unwrap();
    assert_eq!(women(&access).await, 0);
}

conformance!(
    cache_follows_what_changes_touch_on_both_engines,
    cache_follows_what_changes_touch
);
