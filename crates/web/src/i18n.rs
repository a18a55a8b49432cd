//! The interface's words in Vietnamese (the default) and English. Record labels from the domain
//! (event kinds, figure names, unit kinds) stay Vietnamese: they are the official terms.

/// The interface language, chosen by the `lang` cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Lang {
        if code == "en" { Lang::En } else { Lang::Vi }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

macro_rules! texts {
    ($($key:ident: $vi:literal, $en:literal;)+) => {
        /// Every word of the interface, one field per phrase.
        pub struct Texts { $(pub $key: &'static str,)+ }
        pub static VI: Texts = Texts { $($key: $vi,)+ };
        pub static EN: Texts = Texts { $($key: $en,)+ };
    };
}

texts! {
    app_name: "Dangbo – Công tác xây dựng Đảng", "Dangbo – Party-building records";
    skip_to_content: "Bỏ qua, tới nội dung", "Skip to content";
    nav_dashboard: "Tổng quan", "Dashboard";
    nav_units: "Tổ chức đảng", "Organizations";
    nav_members: "Đảng viên", "Members";
    nav_import: "Nhập dữ liệu", "Import";
    nav_restructure: "Sắp xếp tổ chức", "Restructure";
    nav_users: "Người dùng", "Users";
    nav_audit: "Nhật ký", "Audit log";
    nav_password: "Đổi mật khẩu", "Change password";
    sign_out: "Đăng xuất", "Sign out";
    sign_in: "Đăng nhập", "Sign in";
    username: "Tên đăng nhập", "Username";
    password: "Mật khẩu", "Password";
    current_password: "Mật khẩu hiện tại", "Current password";
    new_password: "Mật khẩu mới", "New password";
    repeat_password: "Nhập lại mật khẩu mới", "Repeat the new password";
    save: "Lưu", "Save";
    scope: "Phạm vi", "Scope";
    role: "Vai trò", "Role";
    as_of: "Tính đến ngày", "As of";
    period_from: "Từ ngày", "From";
    period_to: "Đến ngày", "To";
    show: "Xem", "Show";
    unit: "Đơn vị", "Unit";
    code: "Mã", "Code";
    name: "Tên", "Name";
    full_name: "Họ và tên", "Full name";
    sex: "Giới tính", "Sex";
    birth_date: "Ngày sinh", "Date of birth";
    ethnicity: "Dân tộc", "Ethnicity";
    religion: "Tôn giáo", "Religion";
    theory_level: "Lý luận chính trị", "Political theory";
    status: "Trạng thái", "Status";
    age_from: "Tuổi từ", "Age from";
    age_to: "đến", "to";
    any: "Tất cả", "Any";
    search: "Tìm theo tên hoặc mã", "Search by name or code";
    search_hint: "Gõ không dấu cũng được: «nguyen van an» tìm ra «Nguyễn Văn An».", "Tone marks are optional: “nguyen van an” finds “Nguyễn Văn An”.";
    filter: "Lọc", "Filter";
    export_xlsx: "Xuất Excel", "Export to Excel";
    next_page: "Trang sau", "Next page";
    first_page: "Về trang đầu", "First page";
    no_rows: "Không có kết quả.", "Nothing found.";
    main_figures: "Số liệu chính", "Main figures";
    movement: "Biến động trong kỳ", "Changes in the period";
    balance: "Cân đối đảng viên trong kỳ", "Members' balance for the period";
    balance_start: "Đầu kỳ (ngày", "At the start (on";
    balance_end: "Cuối kỳ (ngày", "At the end (on";
    increases: "Tăng", "Increases";
    decreases: "Giảm", "Decreases";
    structure: "Cơ cấu đảng viên", "Members by group";
    unit_hint: "Gõ vài chữ của tên (có dấu hay không đều được) rồi chọn; hoặc nhập mã", "Type a few letters of the name (tone marks optional) and pick; or type the code";
    changes: "Nội dung thay đổi", "What changed";
    templates: "Tải tệp mẫu (có dòng ví dụ và trang hướng dẫn từng cột)", "Download a template (with an example row and a sheet explaining each column)";
    print: "In trang này", "Print this page";
    member_sheet: "PHIẾU ĐẢNG VIÊN", "MEMBER RECORD SHEET";
    table_title: "Số liệu theo tổ chức", "Figures by organization";
    grassroots_rows: "Tổ chức cơ sở đảng", "Grassroots organization";
    children_rows: "Đơn vị trực thuộc", "Direct sub-unit";
    rows_are: "Mỗi hàng là", "Each row is";
    columns_chosen: "Chọn cột", "Choose columns";
    stock_figures: "Số liệu tính đến ngày", "Figures on the date";
    sort_by: "Sắp xếp theo", "Sort by";
    open_table: "Mở bảng đầy đủ: chọn cột, sắp xếp, xuất Excel", "Open the full table: choose columns, sort, export to Excel";
    structure_of_total: "số đảng viên và tỷ lệ trên tổng số", "members and share of the total";
    by_status: "Loại đảng viên", "Membership status";
    by_standing: "Miễn, đình chỉ sinh hoạt", "Exempt or suspended";
    by_sex: "Giới tính", "Sex";
    by_ethnicity: "Dân tộc", "Ethnic group";
    by_religion: "Tôn giáo", "Religion";
    by_age: "Độ tuổi", "Age";
    by_education: "Giáo dục phổ thông", "General education";
    by_qualification: "Chuyên môn, nghiệp vụ", "Professional qualification";
    by_theory: "Lý luận chính trị", "Political theory";
    no_one: "Không có đảng viên nào", "No members";
    records_behind: "Hồ sơ tạo nên số liệu", "Records behind the figure";
    found: "Tìm thấy", "Found";
    members_word: "đảng viên", "members";
    attached_list: "Danh sách kèm theo", "Attached list";
    records_word: "hồ sơ", "records";
    unit_name: "Tên tổ chức", "Organization";
    parent_unit: "Trực thuộc", "Under";
    founded_on: "Ngày thành lập", "Founded on";
    in_unit_since: "Sinh hoạt từ ngày", "In the unit since";
    member_status: "Loại đảng viên", "Membership";
    showing: "Hiển thị", "Showing";
    of_total: "trong tổng số", "of";
    sub_units: "Đơn vị trực thuộc", "Sub-units";
    history: "Lịch sử sắp xếp", "Restructure history";
    came_from: "hình thành từ", "came from";
    went_to: "chuyển thành", "went to";
    members_of_unit: "Đảng viên", "Members";
    all_members: "Xem tất cả", "See all";
    tree_on: "Cây tổ chức tại ngày", "Tree on";
    record: "Hồ sơ", "Record";
    timeline: "Quá trình", "Timeline";
    event: "Sự kiện", "Event";
    date: "Ngày", "Date";
    decision_number: "Số quyết định", "Decision number";
    issuing_body: "Cơ quan quyết định", "Issuing body";
    to_unit: "Đến đơn vị (tên hoặc mã)", "To unit (name or code)";
    external_unit: "Đơn vị ngoài hệ thống", "Unit outside this system";
    note: "Ghi chú", "Note";
    record_event: "Ghi sự kiện", "Record an event";
    edit_record: "Sửa hồ sơ", "Edit record";
    seniority: "Tuổi Đảng", "Party seniority";
    years: "năm", "years";
    next_badge: "Huy hiệu sắp tới", "Next badge";
    home_town: "Quê quán", "Home town";
    residence: "Nơi ở hiện nay", "Residence";
    national_id: "Số CCCD", "National ID";
    education: "Giáo dục phổ thông", "General education";
    qualification: "Chuyên môn", "Qualification";
    occupation: "Nghề nghiệp", "Occupation";
    phone: "Điện thoại", "Phone";
    card_number: "Số thẻ đảng viên", "Party card number";
    saved: "Đã lưu.", "Saved.";
    event_saved: "Đã ghi sự kiện.", "Event recorded.";
    event_already_recorded: "Sự kiện này đã có trong hồ sơ (cùng loại, cùng ngày, cùng nội dung); không ghi thêm lần nữa.", "This event is already on file (same kind, date and details); it was not recorded twice.";
    fix_errors: "Chưa lưu: xin sửa các ô được đánh dấu.", "Not saved: please fix the marked fields.";
    import_title: "Nhập dữ liệu từ tệp", "Import from a file";
    import_help: "Chọn tệp Excel (.xlsx) hoặc CSV theo tệp mẫu. Hệ thống sẽ kiểm tra và cho xem trước; chỉ ghi khi bạn xác nhận.", "Choose an Excel (.xlsx) or CSV file laid out as the templates. You will see a preview; nothing is written until you confirm.";
    import_guide: "Hướng dẫn nhập dữ liệu", "How to import";
    placed_sentence: "đảng viên vào Đảng trước khi chi bộ thành lập: ghi nhận nơi kết nạp ngoài hệ thống, vào chi bộ từ ngày chi bộ thành lập (không tính là chuyển đến).", "members joined the Party before their branch was founded: admitted at a place outside the system, placed in the branch from its founding (not counted as transfers in).";
    placed_done_before: "Đã ghi nhận", "Recorded:";
    import_guide_link: "Hướng dẫn từng cột, giá trị được chấp nhận và cách kiểm tra", "Every column, the values it accepts, and how files are checked";
    dataset: "Loại dữ liệu", "Kind of data";
    dataset_units: "Tổ chức đảng", "Units";
    dataset_members: "Hồ sơ đảng viên", "Member records";
    dataset_events: "Sự kiện (kết nạp, chuyển sinh hoạt…)", "Events (admission, transfers…)";
    dataset_documents: "Văn bản chỉ đạo (nghị quyết, chương trình, kế hoạch…)", "Directing documents (resolutions, programmes, plans…)";
    dataset_targets: "Chỉ tiêu của văn bản", "Targets of documents";
    dataset_tasks: "Nhiệm vụ của văn bản", "Tasks of documents";
    file: "Tệp", "File";
    check_file: "Kiểm tra tệp", "Check the file";
    preview: "Xem trước", "Preview";
    bad_rows: "Các dòng lỗi – chưa ghi gì", "Rows with errors – nothing written";
    row: "Dòng", "Row";
    column: "Cột", "Column";
    value: "Giá trị", "Value";
    problem: "Lỗi", "Problem";
    will_create: "Sẽ thêm mới", "Will create";
    will_update: "Sẽ cập nhật", "Will update";
    unchanged: "Không đổi", "Unchanged";
    events_written: "Sự kiện sẽ ghi", "Events to write";
    created: "Đã thêm mới", "Created";
    updated: "Đã cập nhật", "Updated";
    events_recorded: "Sự kiện đã ghi", "Events written";
    rows_read: "Số dòng đã đọc", "Rows read";
    import_of: "Kết quả nhập", "Result of";
    confirm_import: "Xác nhận ghi vào cơ sở dữ liệu", "Confirm and write";
    cancel: "Hủy", "Cancel";
    imported: "Đã nhập xong.", "Import done.";
    restructure_title: "Sắp xếp tổ chức", "Restructure";
    restructure_help: "Từng bước: chọn loại sắp xếp, chọn đơn vị trong cây và điền quyết định, xem trước ai sẽ chuyển đi đâu; chỉ ghi khi bấm «Thực hiện».", "Step by step: choose the kind, pick the units in the tree and fill in the decision, preview who moves where; nothing is written until you press Apply.";
    merge_help: "Hai hay nhiều đơn vị thành một đơn vị mới; đảng viên và đơn vị trực thuộc chuyển sang đơn vị mới.", "Two or more units become one new unit; their members and sub-units move to it.";
    split_help: "Một đơn vị thành nhiều đơn vị mới; chọn đơn vị mới cho từng đơn vị trực thuộc (cả đơn vị một lần) và từng đảng viên.", "One unit becomes several new units; choose the new unit of each sub-unit (all of it at once) and each member.";
    rename_help: "Đơn vị đổi tên từ ngày hiệu lực; giữ nguyên mã, đảng viên và lịch sử.", "The unit takes a new name from the effective date; its code, members and history stay.";
    dissolve_help: "Đơn vị kết thúc; đảng viên chuyển đến đơn vị khác nếu có chỉ định.", "The unit ends; its members move to another unit if one is named.";
    move_under: "Chuyển trực thuộc", "Move under a new parent";
    move_under_help: "Đơn vị chuyển về cấp trên mới cùng đảng viên và đơn vị trực thuộc (kết thúc đơn vị cũ, thành lập đơn vị kế tiếp).", "The unit moves under a new parent with its members and sub-units (the old unit ends, a successor starts).";
    step_kind: "Loại sắp xếp", "Kind";
    step_units: "Đơn vị và quyết định", "Units and decision";
    step_parts: "Phân đảng viên", "Who goes where";
    next_step: "Tiếp tục", "Next";
    back_step: "Quay lại", "Back";
    pick_in_tree: "Chọn trong cây tổ chức", "Pick in the tree";
    or_type_unit: "hoặc gõ tên, mã đơn vị", "or type a unit's name or code";
    tree_cut: "đơn vị trong phạm vi: cây chỉ hiện các cấp trên; gõ tên để tìm đơn vị khác.", "units in scope: the tree shows the upper levels; type a name to find the others.";
    new_parent: "Đơn vị cấp trên mới", "New parent unit";
    successor_code: "Mã đơn vị kế tiếp (để trống: tự đặt)", "Successor's code (empty: derived)";
    new_units: "Các đơn vị mới", "New units";
    add_part: "Thêm một đơn vị mới", "Add a new unit";
    split_children: "Đơn vị trực thuộc (chuyển cả đơn vị cùng đảng viên)", "Sub-units (each moves whole, with its members)";
    split_members: "Đảng viên sinh hoạt trực tiếp", "Members directly in the unit";
    all_to: "Chuyển tất cả vào", "Send all to";
    goes_to: "Chuyển đến", "Goes to";
    to_be_created: "Đơn vị sẽ thành lập", "Units to be created";
    to_be_ended: "Đơn vị sẽ kết thúc", "Units to end";
    were_created: "Đơn vị đã thành lập", "Units created";
    were_ended: "Đơn vị đã kết thúc", "Units ended";
    moved: "Đảng viên đã chuyển", "Members moved";
    restructure_done: "Đã thực hiện sắp xếp tổ chức.", "The restructure was applied.";
    another_restructure: "Sắp xếp khác", "Another restructure";
    result: "Kết quả", "Result";
    targets_title: "Kết quả thực hiện chỉ tiêu", "Targets achieved";
    documents_title: "Văn bản chỉ đạo", "Directing documents";
    documents_word: "văn bản", "documents";
    document_number: "Số văn bản", "Number";
    validity: "Hiệu lực", "In force";
    period_header: "Kỳ", "Period";
    domain_word: "Lĩnh vực", "Domain";
    document_targets: "Chỉ tiêu của văn bản", "Targets it sets";
    reported_value: "Số báo cáo", "Reported value";
    new_document: "Thêm văn bản chỉ đạo", "File a directing document";
    document_filed: "Đã lưu văn bản.", "The document was filed.";
    target_set: "Đã thêm chỉ tiêu.", "The target was set.";
    value_reported: "Đã ghi số báo cáo.", "The reported value was recorded.";
    task_assigned: "Đã giao nhiệm vụ.", "The task was assigned.";
    file_attached: "Đã lưu tệp văn bản.", "The file was attached.";
    document_file: "Tệp văn bản", "File";
    no_file: "Chưa có tệp.", "No file yet.";
    attach_file: "Tải tệp lên (PDF hoặc Word .docx", "Upload a file (PDF or Word .docx";
    attach_button: "Lưu tệp", "Save the file";
    download: "Tải về", "Download";
    allocated_to: "Phân bổ cho", "Split among";
    units_word: "đơn vị", "units";
    sum_word: "tổng", "total";
    adds_up: "khớp với chỉ tiêu", "adds up";
    short_by: "thiếu", "short by";
    over_by: "thừa", "over by";
    of_whole: "so với chỉ tiêu", "against the whole";
    part_of: "Phần phân bổ của", "Part of";
    allocated_from_label: "Phân bổ từ chỉ tiêu (nếu là phần của chỉ tiêu cấp trên)", "Part of the target (if split from one above)";
    progress_recorded: "Đã ghi tiến độ.", "The progress was recorded.";
    tasks_title: "Nhiệm vụ", "Tasks";
    document_tasks: "Nhiệm vụ được giao", "Tasks it assigns";
    task_text: "Nhiệm vụ", "Task";
    task_owner: "Chủ trì", "In charge";
    assigned_on: "Ngày giao", "Assigned on";
    deadline: "Hạn hoàn thành", "Deadline";
    task_state: "Trạng thái", "State";
    latest_progress: "Tiến độ gần nhất", "Latest progress";
    add_task: "Giao nhiệm vụ", "Assign a task";
    report_progress: "Ghi tiến độ", "Record progress";
    reported_on: "Ngày báo cáo", "Reported on";
    no_tasks: "Không có nhiệm vụ nào.", "No task.";
    days_left: "Thời hạn", "Time left";
    due_today: "đến hạn hôm nay", "due today";
    left_word: "còn", "in";
    past_word: "quá", "late by";
    days_word: "ngày", "days";
    tasks_overdue: "Quá hạn", "Overdue";
    tasks_overdue_line: "Nhiệm vụ quá hạn", "Tasks overdue";
    tasks_due_soon: "Đến hạn trong 30 ngày", "Due within 30 days";
    tasks_other: "Khác", "Others";
    issuing_body_beside: "Cơ quan ban hành (nếu không phải cấp ủy)", "Issuing body (if not the committee)";
    implements_document: "Thực hiện văn bản", "Carries out";
    implementing_documents: "Văn bản thực hiện", "Documents carrying it out";
    valid_from: "Hiệu lực từ", "In force from";
    valid_to: "Hiệu lực đến", "In force until";
    add_target: "Thêm chỉ tiêu", "Set a target";
    figure_key: "Chỉ số (để trống nếu số liệu do báo cáo)", "Figure (empty for a reported value)";
    comparator: "So sánh", "Comparison";
    value_word: "Giá trị", "Value";
    latest_reported: "Số báo cáo gần nhất", "Latest reported";
    report_value: "Ghi số báo cáo", "Report a value";
    source_document: "Nguồn số liệu", "Source";
    nav_targets: "Chỉ tiêu", "Targets";
    admissions_against_target: "Kết nạp đảng viên", "Admissions";
    targets_met: "Đạt", "Met:";
    met_word: "đạt", "met";
    no_targets: "Không có chỉ tiêu nào trong kỳ này.", "No target in this period.";
    document_word: "Văn bản", "Document";
    target_text: "Nội dung chỉ tiêu", "Target";
    target_value: "Chỉ tiêu", "Target value";
    actual_value: "Thực hiện", "Actual";
    ratio: "Tỷ lệ", "Ratio";
    document_title: "Trích yếu", "Title";
    issuing_unit: "Đơn vị ban hành", "Issued by";
    signed_on: "Ngày ban hành", "Signed on";
    document_kind: "Loại văn bản", "Kind";
    unit_name_header: "Tên đơn vị", "Unit";
    decided_above: "do cấp trên quyết định", "decided by the level above";
    kind: "Loại", "Kind";
    merge: "Hợp nhất", "Merge";
    rename: "Đổi tên", "Rename";
    dissolve: "Giải thể", "Dissolve";
    split: "Chia tách", "Split";
    source_units: "Đơn vị sắp xếp", "Units to restructure";
    new_code: "Mã đơn vị mới", "New unit's code";
    new_name: "Tên mới", "New name";
    parent_code: "Đơn vị cấp trên", "Parent unit";
    unit_kind: "Loại đơn vị", "Unit kind";
    move_members_to: "Chuyển đảng viên đến (nếu có)", "Move members to (if any)";
    effective_date: "Ngày hiệu lực", "Effective date";
    apply: "Thực hiện", "Apply";
    who_moves: "Đảng viên sẽ chuyển", "Members who move";
    users_title: "Người dùng và mã truy cập", "Users and API tokens";
    display_name: "Họ tên hiển thị", "Display name";
    scope_code: "Đơn vị phạm vi (tên hoặc mã; để trống: toàn quốc)", "Scope unit (name or code; empty: the whole database)";
    add_user: "Thêm người dùng", "Add user";
    disable: "Khóa", "Disable";
    enable: "Mở khóa", "Enable";
    reset_password: "Đặt lại mật khẩu", "Reset password";
    disabled: "Đã khóa", "Disabled";
    active: "Đang dùng", "Active";
    tokens: "Mã truy cập API", "API tokens";
    token_name: "Tên (dùng cho việc gì)", "Name (what it is for)";
    add_token: "Tạo mã truy cập", "Create token";
    revoke: "Thu hồi", "Revoke";
    revoked: "Đã thu hồi", "Revoked";
    token_created: "Mã truy cập mới (chỉ hiện một lần, hãy lưu lại):", "New token (shown once, keep it):";
    audit_title: "Nhật ký thay đổi", "Audit log";
    actor: "Người thực hiện", "Actor";
    action: "Hành động", "Action";
    record_kind: "Loại hồ sơ", "Record kind";
    record_key: "Mã hồ sơ", "Record key";
    time: "Thời điểm", "Time";
    before: "Trước", "Before";
    after: "Sau", "After";
    older: "Cũ hơn", "Older";
    api_docs: "Tài liệu API", "API docs";
    language_switch: "English", "Tiếng Việt";
    wrong_sign_in: "Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password.";
    throttled: "Đăng nhập sai quá nhiều lần. Xin thử lại sau", "Too many failed sign-ins. Try again in";
    minutes: "phút", "minutes";
    password_changed: "Đã đổi mật khẩu. Xin đăng nhập lại.", "Password changed. Please sign in again.";
    passwords_differ: "Hai lần nhập mật khẩu mới không khớp.", "The two new passwords differ.";
    wrong_current_password: "Mật khẩu hiện tại không đúng.", "The current password is wrong.";
    figures_as_of: "Số liệu tính đến", "Figures as of";
    ended_on: "đã kết thúc (giải thể hoặc sắp xếp) từ ngày", "ended (dissolved or restructured) on";
    started_on: "chưa thành lập; thành lập từ ngày", "did not exist yet; it was established on";
    successors: "Xem đơn vị kế tục hoặc số liệu trước khi kết thúc:", "See what came after it, or its figures before it ended:";
    by_sub_unit: "Số liệu theo đơn vị trực thuộc", "Figures by sub-unit";
    total: "Tổng", "Total";
    compare_prior: "So với cùng kỳ năm trước", "Compared with a year earlier";
    prior_year: "Cùng kỳ năm trước", "A year earlier";
    scheduled: "Thay đổi đã lên lịch (chưa đến ngày)", "Scheduled changes (not yet due)";
    scheduled_short: "đã lên lịch", "scheduled";
    ceremony_date: "Ngày lễ kết nạp (kết nạp, kết nạp lại)", "Ceremony date (admission, readmission)";
    end_date: "Ngày kết thúc (miễn sinh hoạt, đình chỉ)", "End date (exemption, suspension)";
    period: "kỳ", "period";
}
