//! The year's review pages: a branch's grid saved all at once, a bad row named on its member, the
//! review page's progress and figures, and the scope.

use dangbo_domain::access::Role;
use dangbo_testkit::{TestApp, conformance_app, user_of};
use reqwest::StatusCode;

async fn a_branch_grid_is_saved_and_counted(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let post = async |fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        client
            .post(app.url("/ratings/CA?year=2021"))
            .form(&all)
            .send()
            .await
            .unwrap()
    };
    let grid = TestApp::get_text(&client, &app.url("/ratings/CA?year=2021")).await;
    assert!(grid.contains(r#"name="level.A1""#) && grid.contains(r#"name="level.A2""#));
    // Points where the 2021 scheme does not score: refused on that member, nothing written.
    let refused = post(&[
        ("level.A1", "good"),
        ("level.A2", "excellent"),
        ("points.A2", "95"),
        ("decided_by", "Đảng ủy xã An Thắng"),
        ("decision_number", "12-QĐ/ĐU"),
    ])
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("không chấm điểm"), "{page}");
    assert_eq!(app.test_db.count("ratings").await, 0);
    // Two members: one excellent for one good is over a fifth of the good: the quota says so.
    let over = post(&[
        ("level.A1", "good"),
        ("level.A2", "excellent"),
        ("decided_by", "Đảng ủy xã An Thắng"),
        ("decision_number", "12-QĐ/ĐU"),
    ])
    .await;
    assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.text().await.unwrap().contains("quá số được phép 0"));
    let saved = post(&[
        ("level.A1", "good"),
        ("level.A2", "done"),
        ("decided_by", "Đảng ủy xã An Thắng"),
        ("decision_number", "12-QĐ/ĐU"),
    ])
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let review = TestApp::get_text(&client, &app.url("/ratings?unit=XA&year=2021")).await;
    assert!(review.contains(r#"id="review-progress""#));
    assert!(review.contains("1/1"), "the one branch is done: {review}");
    assert!(review.contains("1/2 (50 %)"), "{review}");
    // The member's page lists their ratings.
    let member = TestApp::get_text(&client, &app.url("/members/A1")).await;
    assert!(member.contains(r#"id="member-ratings""#), "{member}");
    assert!(member.contains("Năm 2021") && member.contains("Hoàn thành tốt nhiệm vụ"));
    // The API gives the year's ratings of a unit's subtree.
    let api = TestApp::get_json(&client, &app.url("/api/v1/ratings?unit=XA&year=2021")).await;
    let rows = api.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .any(|r| r["member"] == "A1" && r["level"] == "good")
    );
    // Another commune's branch is not found.
    let other = client
        .get(app.url("/ratings/CB?year=2021"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

conformance_app!(grid_on_both_engines, a_branch_grid_is_saved_and_counted);
