//! The demo district's 2021 work programme, after the press report on Pác Nặm (seed 001): the
//! term resolution and Nghị quyết 03-NQ/HU on the tasks of 2021 with 55 targets (47 met: economy
//! 16/22, culture and society 15/16, defence and security 10/11, party building 6/6; the admission
//! target bound to the figure, the rest reported with the year-end report as their source), the
//! standing committee's 3 thematic resolutions and 3 action programmes, the communes' 17
//! programmes and 10 plans, and the mass organizations' 8 programmes and 1 plan; and the 8 tasks
//! 03-NQ/HU assigns, 6 done (4 of them on time), 1 in progress at the year's end, 1 never done.

use dangbo_store::Result;
use dangbo_store::access::{Access, NewDocument, NewTarget, NewTask, NewTaskReport};

use super::date;

/// The year-end report the reported values come from.
const SOURCE: &str = "Báo cáo số 245-BC/HU ngày 15/12/2021 của Huyện ủy Pác Nặm";

/// The communes of the old district, in the order their documents are numbered.
const COMMUNES: [&str; 10] = [
    "X01858", "X01861", "X01864", "X01867", "X01870", "X01873", "X01876", "X01879", "X01882",
    "X01885",
];

/// (domain, wording, comparator, target, reported value): every target of 03-NQ/HU but the
/// admission one, which is counted from the records.
const REPORTED: [(&str, &str, &str, f64, f64); 54] = [
    (
        "economy",
        "Tổng sản lượng lương thực có hạt đạt từ 19.500 tấn",
        ">=",
        19500.0,
        19820.0,
    ),
    (
        "economy",
        "Diện tích trồng ngô đạt từ 2.900 ha",
        ">=",
        2900.0,
        2950.0,
    ),
    (
        "economy",
        "Diện tích trồng lúa đạt từ 1.850 ha",
        ">=",
        1850.0,
        1862.0,
    ),
    ("economy", "Trồng mới từ 600 ha rừng", ">=", 600.0, 735.0),
    (
        "economy",
        "Tỷ lệ che phủ rừng đạt từ 75 %",
        ">=",
        75.0,
        75.3,
    ),
    (
        "economy",
        "Tổng đàn trâu, bò đạt từ 12.000 con",
        ">=",
        12000.0,
        11250.0,
    ),
    (
        "economy",
        "Tổng đàn lợn đạt từ 30.000 con",
        ">=",
        30000.0,
        24800.0,
    ),
    (
        "economy",
        "Diện tích trồng cây dược liệu đạt từ 120 ha",
        ">=",
        120.0,
        126.0,
    ),
    (
        "economy",
        "Thu ngân sách trên địa bàn đạt từ 18 tỷ đồng",
        ">=",
        18.0,
        19.4,
    ),
    (
        "economy",
        "Thu nhập bình quân đầu người đạt từ 28 triệu đồng",
        ">=",
        28.0,
        27.1,
    ),
    (
        "economy",
        "Giá trị sản xuất công nghiệp - tiểu thủ công nghiệp tăng từ 8 %",
        ">=",
        8.0,
        8.4,
    ),
    (
        "economy",
        "Tổng mức bán lẻ hàng hóa và dịch vụ đạt từ 320 tỷ đồng",
        ">=",
        320.0,
        331.0,
    ),
    (
        "economy",
        "Số lượt khách du lịch đạt từ 25.000 lượt",
        ">=",
        25000.0,
        14600.0,
    ),
    (
        "economy",
        "Xây dựng mới, cải tạo từ 12 km đường giao thông nông thôn",
        ">=",
        12.0,
        14.5,
    ),
    (
        "economy",
        "Tỷ lệ hộ dùng điện lưới quốc gia đạt từ 93 %",
        ">=",
        93.0,
        93.6,
    ),
    (
        "economy",
        "Số xã đạt chuẩn nông thôn mới đạt từ 1 xã",
        ">=",
        1.0,
        1.0,
    ),
    (
        "economy",
        "Bình quân tiêu chí nông thôn mới đạt từ 11,5 tiêu chí/xã",
        ">=",
        11.5,
        11.6,
    ),
    (
        "economy",
        "Số sản phẩm OCOP được công nhận đạt từ 5 sản phẩm",
        ">=",
        5.0,
        3.0,
    ),
    (
        "economy",
        "Tỷ lệ dân số nông thôn dùng nước hợp vệ sinh đạt từ 95 %",
        ">=",
        95.0,
        96.0,
    ),
    ("economy", "Thành lập mới từ 4 hợp tác xã", ">=", 4.0, 4.0),
    (
        "economy",
        "Giải ngân vốn đầu tư công đạt từ 95 % kế hoạch",
        ">=",
        95.0,
        88.7,
    ),
    (
        "economy",
        "Tỷ lệ thu gom, xử lý rác thải tại trung tâm huyện đạt từ 90 %",
        ">=",
        90.0,
        91.0,
    ),
    (
        "culture_society",
        "Giảm tỷ lệ hộ nghèo từ 5 % trở lên",
        ">=",
        5.0,
        5.6,
    ),
    (
        "culture_society",
        "Tỷ lệ trẻ em từ 6 đến 14 tuổi đến trường đạt từ 99 %",
        ">=",
        99.0,
        99.4,
    ),
    (
        "culture_society",
        "Trường đạt chuẩn quốc gia đạt từ 16 trường",
        ">=",
        16.0,
        16.0,
    ),
    (
        "culture_society",
        "Tỷ lệ người dân tham gia bảo hiểm y tế đạt từ 98 %",
        ">=",
        98.0,
        98.6,
    ),
    (
        "culture_society",
        "Số bác sĩ trên 1 vạn dân đạt từ 8 bác sĩ",
        ">=",
        8.0,
        8.2,
    ),
    (
        "culture_society",
        "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng dưới 18 %",
        "<",
        18.0,
        17.2,
    ),
    (
        "culture_society",
        "Tỷ lệ trẻ em được tiêm chủng đầy đủ đạt từ 95 %",
        ">=",
        95.0,
        96.1,
    ),
    (
        "culture_society",
        "Giải quyết việc làm mới cho từ 400 lao động",
        ">=",
        400.0,
        426.0,
    ),
    (
        "culture_society",
        "Tỷ lệ lao động qua đào tạo đạt từ 45 %",
        ">=",
        45.0,
        45.8,
    ),
    (
        "culture_society",
        "Tỷ lệ hộ gia đình đạt danh hiệu gia đình văn hóa đạt từ 80 %",
        ">=",
        80.0,
        82.0,
    ),
    (
        "culture_society",
        "Tỷ lệ thôn, tổ dân phố đạt danh hiệu văn hóa đạt từ 70 %",
        ">=",
        70.0,
        71.5,
    ),
    (
        "culture_society",
        "Tỷ lệ thôn có nhà văn hóa đạt từ 95 %",
        ">=",
        95.0,
        97.0,
    ),
    (
        "culture_society",
        "Xóa từ 60 nhà tạm cho hộ nghèo",
        ">=",
        60.0,
        64.0,
    ),
    (
        "culture_society",
        "Tỷ lệ dân số được quản lý sức khỏe đạt từ 90 %",
        ">=",
        90.0,
        92.4,
    ),
    (
        "culture_society",
        "Tỷ lệ hộ dùng thiết bị xem truyền hình đạt từ 95 %",
        ">=",
        95.0,
        96.0,
    ),
    (
        "culture_society",
        "Giảm tỷ lệ tảo hôn xuống dưới 5 % số cặp kết hôn",
        "<",
        5.0,
        6.3,
    ),
    (
        "defence_security",
        "Hoàn thành 100 % chỉ tiêu tuyển quân",
        ">=",
        100.0,
        100.0,
    ),
    (
        "defence_security",
        "Tỷ lệ xã vững mạnh về quốc phòng, an ninh đạt 100 %",
        ">=",
        100.0,
        100.0,
    ),
    (
        "defence_security",
        "Huấn luyện dân quân tự vệ đạt từ 98 % quân số",
        ">=",
        98.0,
        98.5,
    ),
    (
        "defence_security",
        "Tỷ lệ điều tra, khám phá án hình sự đạt từ 80 %",
        ">=",
        80.0,
        86.0,
    ),
    (
        "defence_security",
        "Tỷ lệ khám phá án rất nghiêm trọng, đặc biệt nghiêm trọng đạt từ 95 %",
        ">=",
        95.0,
        100.0,
    ),
    (
        "defence_security",
        "Giảm số vụ tai nạn giao thông so với năm trước",
        "<",
        6.0,
        4.0,
    ),
    (
        "defence_security",
        "Tỷ lệ thôn, bản không có ma túy đạt từ 85 %",
        ">=",
        85.0,
        82.0,
    ),
    (
        "defence_security",
        "Giải quyết đơn thư khiếu nại, tố cáo đạt từ 90 %",
        ">=",
        90.0,
        94.0,
    ),
    (
        "defence_security",
        "Diễn tập chiến đấu phòng thủ cho từ 3 xã",
        ">=",
        3.0,
        3.0,
    ),
    (
        "defence_security",
        "Tỷ lệ hòa giải thành tại cơ sở đạt từ 80 %",
        ">=",
        80.0,
        84.0,
    ),
    (
        "defence_security",
        "Tỷ lệ hộ gia đình đạt tiêu chuẩn an toàn về an ninh, trật tự đạt từ 90 %",
        ">=",
        90.0,
        92.0,
    ),
    (
        "party_building",
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên đạt từ 80 %",
        ">=",
        80.0,
        85.3,
    ),
    (
        "party_building",
        "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên đạt từ 85 %",
        ">=",
        85.0,
        88.1,
    ),
    (
        "party_building",
        "Thực hiện 100 % kế hoạch kiểm tra, giám sát năm",
        ">=",
        100.0,
        100.0,
    ),
    (
        "party_building",
        "Tỷ lệ thôn có chi bộ, có đảng viên đạt 100 %",
        ">=",
        100.0,
        100.0,
    ),
    (
        "party_building",
        "Tỷ lệ cán bộ cấp xã đạt chuẩn lý luận chính trị đạt từ 97 %",
        ">=",
        97.0,
        100.0,
    ),
];

/// Files the programme through the writer staff use (scoped, audited), as the demo loader.
pub async fn fill(access: &Access) -> Result<usize> {
    let writer = access.programmes()?;
    let document = |unit: &str,
                    body: &str,
                    kind: &str,
                    number: &str,
                    title: &str,
                    signed: (i32, u32, u32),
                    to: (i32, u32, u32),
                    domain: &str| NewDocument {
        unit: unit.into(),
        issuing_body: body.into(),
        kind: kind.into(),
        number: number.into(),
        title: title.into(),
        signed_on: Some(date(signed.0, signed.1, signed.2)),
        valid_from: Some(date(signed.0, signed.1, signed.2)),
        valid_to: Some(date(to.0, to.1, to.2)),
        domain: domain.into(),
        implements: String::new(),
    };
    let mut filed = 0;
    let mut documents = vec![
        document(
            "H060",
            "",
            "Nghị quyết",
            "01-NQ/HU",
            "Nghị quyết Đại hội đại biểu Đảng bộ huyện lần thứ IV, nhiệm kỳ 2020 - 2025",
            (2020, 8, 21),
            (2025, 6, 30),
            "party_building",
        ),
        document(
            "H060",
            "",
            "Nghị quyết",
            "03-NQ/HU",
            "Nghị quyết về nhiệm vụ năm 2021",
            (2020, 12, 17),
            (2021, 12, 31),
            "party_building",
        ),
    ];
    for (n, title, domain) in [
        (
            4,
            "Nghị quyết chuyên đề về nâng cao chất lượng đội ngũ cán bộ, đảng viên, nhất là người đứng đầu",
            "organization",
        ),
        (
            5,
            "Nghị quyết chuyên đề về phát triển kinh tế nông, lâm nghiệp hàng hóa giai đoạn 2021 - 2025",
            "economy",
        ),
        (
            6,
            "Nghị quyết chuyên đề về phát triển du lịch cộng đồng gắn với bảo tồn văn hóa dân tộc",
            "culture_society",
        ),
    ] {
        documents.push(document(
            "H060",
            "",
            "Nghị quyết chuyên đề",
            &format!("{n:02}-NQ/HU"),
            title,
            (2021, 3, 10 + n),
            (2025, 6, 30),
            domain,
        ));
    }
    for (n, title, domain) in [
        (
            10,
            "Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ huyện lần thứ IV",
            "party_building",
        ),
        (
            11,
            "Chương trình hành động thực hiện Nghị quyết Đại hội XIII của Đảng",
            "party_building",
        ),
        (
            12,
            "Chương trình hành động về công tác dân vận giai đoạn 2021 - 2025",
            "mass_mobilization",
        ),
    ] {
        documents.push(document(
            "H060",
            "",
            "Chương trình hành động",
            &format!("{n:02}-CTr/HU"),
            title,
            (2021, 4, n),
            (2025, 6, 30),
            domain,
        ));
    }
    for (i, commune) in COMMUNES.iter().enumerate() {
        let programmes = if i < 7 { 2 } else { 1 };
        for p in 0..programmes {
            documents.push(document(commune, "", "Chương trình hành động", &format!("{:02}-CTr/ĐU", p + 1), "Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ xã và Nghị quyết Đại hội Đảng bộ huyện", (2021, 2, 20 + p as u32), (2025, 6, 30), "party_building"));
        }
        documents.push(document(
            commune,
            "",
            "Kế hoạch",
            "05-KH/ĐU",
            "Kế hoạch thực hiện nhiệm vụ năm 2021",
            (2021, 1, 15),
            (2021, 12, 31),
            "party_building",
        ));
    }
    for (body, abbreviation, count) in [
        ("Ủy ban Mặt trận Tổ quốc Việt Nam huyện", "MT", 2),
        ("Hội Nông dân huyện", "HND", 2),
        ("Hội Liên hiệp Phụ nữ huyện", "HLHPN", 2),
        ("Huyện đoàn", "HĐTN", 1),
        ("Hội Cựu chiến binh huyện", "HCCB", 1),
    ] {
        for n in 1..=count {
            documents.push(document(
                "H060",
                body,
                "Chương trình hành động",
                &format!("{n:02}-CTr/{abbreviation}"),
                "Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ huyện lần thứ IV",
                (2021, 5, 3 + n),
                (2025, 6, 30),
                "mass_mobilization",
            ));
        }
    }
    documents.push(document(
        "H060",
        "Ủy ban Mặt trận Tổ quốc Việt Nam huyện",
        "Kế hoạch",
        "07-KH/MT",
        "Kế hoạch giám sát năm 2021",
        (2021, 2, 1),
        (2021, 12, 31),
        "mass_mobilization",
    ));
    // The programmes carrying out the district congress's resolution say so.
    for d in documents.iter_mut() {
        if d.kind == "Chương trình hành động" && d.title.contains("Đại hội Đảng bộ huyện")
        {
            d.implements = "01-NQ/HU".into();
        }
    }
    for d in &documents {
        writer.add_document(d).await?;
        filed += 1;
    }
    let year = |text: &str, domain: &str, figure: &str, comparator: &str, value: f64| NewTarget {
        document: "03-NQ/HU".into(),
        document_id: None,
        unit: "H060".into(),
        text: text.into(),
        domain: domain.into(),
        from: Some(date(2021, 1, 1)),
        to: Some(date(2021, 12, 31)),
        figure: figure.into(),
        comparator: comparator.into(),
        value: Some(value),
        allocated_from: String::new(),
    };
    writer
        .add_target(&year(
            "Kết nạp từ 80 đảng viên mới",
            "organization",
            "admissions",
            ">=",
            80.0,
        ))
        .await?;
    // The admission target split among the communes, as the district's plan gives it: 78 of the
    // 80 allocated, which the document's page shows as not adding up.
    for (i, commune) in COMMUNES.iter().enumerate() {
        let quota = if i < 8 { 8.0 } else { 7.0 };
        writer
            .add_target(&NewTarget {
                unit: (*commune).into(),
                text: format!("Kết nạp {quota} đảng viên mới"),
                allocated_from: "Kết nạp từ 80 đảng viên mới".into(),
                ..year("", "organization", "admissions", ">=", quota)
            })
            .await?;
    }
    for (domain, text, comparator, value, actual) in REPORTED {
        let id = writer
            .add_target(&year(text, domain, "", comparator, value))
            .await?;
        writer
            .report_value(id, date(2021, 12, 31), actual, SOURCE)
            .await?;
    }
    assign_tasks(access).await?;
    Ok(filed)
}

/// (unit, owner, task, deadline, started, done) of the tasks 03-NQ/HU assigns on 04/01/2021.
type DemoTask = (
    &'static str,
    &'static str,
    &'static str,
    (i32, u32, u32),
    Option<(i32, u32, u32)>,
    Option<(i32, u32, u32)>,
);

const TASKS: [DemoTask; 8] = [
    (
        "H060",
        "Ban Tổ chức Huyện ủy",
        "Xây dựng kế hoạch phát triển đảng viên năm 2021, giao chỉ tiêu cho từng đảng bộ xã",
        (2021, 1, 31),
        Some((2021, 1, 12)),
        Some((2021, 1, 25)),
    ),
    (
        "H060",
        "Ủy ban Kiểm tra Huyện ủy",
        "Kiểm tra việc thực hiện quy chế làm việc ở 3 đảng ủy xã",
        (2021, 9, 30),
        Some((2021, 6, 1)),
        Some((2021, 10, 15)),
    ),
    (
        "H060",
        "Ban Tuyên giáo Huyện ủy",
        "Tổ chức học tập, quán triệt Nghị quyết Đại hội XIII của Đảng đến 100 % chi bộ",
        (2021, 6, 30),
        Some((2021, 3, 15)),
        Some((2021, 5, 28)),
    ),
    (
        "H060",
        "Ban Dân vận Huyện ủy",
        "Xây dựng và nhân rộng mô hình «Dân vận khéo» ở mỗi xã",
        (2021, 12, 31),
        Some((2021, 3, 1)),
        None,
    ),
    (
        "X01858",
        "Văn phòng Đảng ủy xã",
        "Rà soát, hoàn thiện hồ sơ đảng viên",
        (2021, 6, 30),
        None,
        Some((2021, 6, 10)),
    ),
    (
        "X01861",
        "Văn phòng Đảng ủy xã",
        "Rà soát, hoàn thiện hồ sơ đảng viên",
        (2021, 6, 30),
        Some((2021, 4, 2)),
        Some((2021, 7, 12)),
    ),
    (
        "X01864",
        "Văn phòng Đảng ủy xã",
        "Rà soát, hoàn thiện hồ sơ đảng viên",
        (2021, 6, 30),
        None,
        None,
    ),
    (
        "H060",
        "Văn phòng Huyện ủy",
        "Sơ kết 6 tháng thực hiện Nghị quyết 03-NQ/HU",
        (2021, 7, 15),
        None,
        Some((2021, 7, 14)),
    ),
];

/// Assigns 03-NQ/HU's tasks and records their progress through the writer.
async fn assign_tasks(access: &Access) -> Result<()> {
    let writer = access.programmes()?;
    let today = chrono::Local::now().date_naive();
    for (unit, owner, text, deadline, started, done) in TASKS {
        let id = writer
            .add_task(&NewTask {
                document: "03-NQ/HU".into(),
                unit: unit.into(),
                text: text.into(),
                owner: owner.into(),
                assigned_on: Some(date(2021, 1, 4)),
                deadline: Some(date(deadline.0, deadline.1, deadline.2)),
                ..NewTask::default()
            })
            .await?;
        for (day, state, note) in [
            (
                started,
                "in_progress",
                "Đã xây dựng kế hoạch, đang triển khai",
            ),
            (done, "done", "Đã hoàn thành, có báo cáo kết quả"),
        ] {
            if let Some((y, m, d)) = day {
                let report = NewTaskReport {
                    reported_on: Some(date(y, m, d)),
                    state: state.into(),
                    note: note.into(),
                };
                writer.report_task(id, &report, today).await?;
            }
        }
    }
    Ok(())
}
