// Browser journeys of Dangbo in Debian's chromium, headless. Usage:
//   BASE_URL=http://127.0.0.1:PORT SCREENSHOTS=docs/screenshots node e2e/journeys.mjs
// The server must run `dangbo serve --demo`. Every wait is for something to appear, never a sleep.
import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOTS || "docs/screenshots";
// Workbooks the journeys download, and what the pages showed, for the test to read back.
const downloads = process.env.DOWNLOADS || mkdtempSync(join(tmpdir(), "dangbo-downloads-"));
mkdirSync(downloads, { recursive: true });
const expected = {};
const password = "dangbo-demo";
assert.ok(base, "BASE_URL is required");
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/** Today as a Vietnamese office writes it: dd/mm/yyyy. */
function today() {
  const d = new Date();
  return `${String(d.getDate()).padStart(2, "0")}/${String(d.getMonth() + 1).padStart(2, "0")}/${d.getFullYear()}`;
}

/** Tone-insensitive form of a name, as a person types it without Vietnamese marks. */
function toneless(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

/** Console errors (a blocked script or style, a failed request) of every page. */
const consoleErrors = [];

async function signIn(context, username) {
  const page = await context.newPage();
  page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
  await page.goto(`${base}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForSelector("ul.cards");
  return page;
}

async function figure(page, key) {
  const link = page.locator(`ul.cards a[data-key="${key}"] .value`);
  return Number((await link.innerText()).replace(/\./g, ""));
}

async function shot(page, name, fullPage = false) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

const steps = [];
async function step(name, body) {
  await body();
  steps.push(name);
  console.log(`ok - ${name}`);
}

const desktop = { viewport: { width: 1366, height: 768 }, locale: "vi-VN" };
const admin = await browser.newContext(desktop);
const staff = await browser.newContext(desktop);
let adminPage, page, member, otherMember, totalBefore, badFile;

await step("sign-in page, signing in with the keyboard only", async () => {
  const p = await admin.newPage();
  await p.goto(`${base}/sign-in`);
  await shot(p, "01-sign-in");
  await p.keyboard.press("Tab"); // skip link
  await p.keyboard.press("Tab"); // language switch
  await p.locator("#username").focus();
  await p.keyboard.type("quantri");
  await p.keyboard.press("Tab");
  await p.keyboard.type(password);
  await p.keyboard.press("Enter");
  await p.waitForSelector("ul.cards");
  adminPage = p;
});

await step("commune staff signs in and sees the dashboard with the members' structure", async () => {
  page = await signIn(staff, "bangthanh");
  assert.ok((await page.locator(".share-table svg rect").count()) >= 12, "bars are drawn");
  // The shares' text is readable at 100 % zoom, and every number is a link a keyboard reaches.
  const sizes = await page.locator(".share-table a").evaluateAll((links) =>
    links.map((a) => parseFloat(getComputedStyle(a).fontSize)));
  assert.ok(sizes.length >= 12 && sizes.every((px) => px >= 12), `text sizes ${sizes}`);
  const shares = await page.locator(".share-table a").allInnerTexts();
  assert.ok(shares.every((t) => /^[0-9.]+ \(([0-9]+(,[0-9]+)? %|—)\)$/.test(t)), `shares read «1.022 (37,16 %)»: ${shares}`);
  totalBefore = await figure(page, "members.total");
  assert.ok(totalBefore > 0);
  await shot(page, "02-dashboard-commune", true);
});

await step("search a member with a query without tone marks", async () => {
  const list = await (await page.request.get(`${base}/api/v1/members?limit=5`)).json();
  member = list.rows.find((r) => toneless(r.full_name) !== r.full_name.toLowerCase()) || list.rows[0];
  await page.goto(`${base}/members`);
  await page.getByLabel("Tìm theo tên hoặc mã").pressSequentially(toneless(member.full_name));
  await page.waitForSelector(`#member-rows[data-query="${toneless(member.full_name)}"]`);
  const names = await page.locator("#member-rows td:first-child a").allInnerTexts();
  assert.ok(names.includes(member.full_name), `${member.full_name} found by «${toneless(member.full_name)}»: ${names}`);
  await shot(page, "03-members");
});

await step("open the member and record an event", async () => {
  await page.getByRole("link", { name: member.full_name, exact: true }).first().click();
  await page.waitForSelector("#timeline");
  await shot(page, "04-member");
  await page.locator("#ev-kind").selectOption("death");
  await page.locator("#ev-date").fill(today());
  await page.locator("#ev-decision").fill("15-QĐ/ĐU");
  await page.getByRole("button", { name: "Ghi sự kiện" }).click();
  await page.waitForSelector("#notice.ok");
  assert.match(await page.locator("#timeline").innerText(), /Từ trần/);
});

await step("the dashboard figure changes", async () => {
  await page.goto(`${base}/`);
  assert.equal(await figure(page, "members.total"), totalBefore - 1);
  await page.locator(`ul.cards a[data-key="deaths"]`).click();
  await page.waitForSelector("table");
  assert.match(await page.locator("table").innerText(), new RegExp(member.code));
});

await step("a refused event shows its reason next to the field", async () => {
  await page.goto(`${base}/members/${encodeURIComponent(member.code)}`);
  await page.locator("#ev-kind").selectOption("full_membership");
  await page.locator("#ev-date").fill(today());
  await page.getByRole("button", { name: "Ghi sự kiện" }).click();
  await page.waitForSelector("#ev-kind[aria-invalid=true]");
  assert.ok((await page.locator("#ev-kind-err").innerText()).length > 0);
});

await step("import a file with a bad row and see the error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dangbo-e2e-"));
  const file = join(dir, "su-kien.csv");
  badFile = file;
  writeFileSync(file, `Mã đảng viên,Sự kiện,Ngày\n${member.code},Khen thưởng,01/02/2026\nKHONG-CO,Từ trần,31/02/2026\n`);
  await page.goto(`${base}/import`);
  await page.getByLabel("Sự kiện (kết nạp, chuyển sinh hoạt…)").check();
  await page.getByLabel("Tệp").setInputFiles(file);
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await page.waitForSelector("#import-errors");
  const errors = await page.locator("#import-errors tbody").innerText();
  assert.match(errors, /Khen thưởng/);
  assert.match(errors, /^2\t/m);
  await shot(page, "05-import-errors");
});

await step("a commune's user cannot reach another commune's member by URL", async () => {
  const other = await (await adminPage.request.get(`${base}/api/v1/members?unit=X2025-01879&limit=1`)).json();
  otherMember = other.rows[0];
  assert.ok(otherMember, "Cao Minh has members");
  const response = await page.goto(`${base}/members/${encodeURIComponent(otherMember.code)}`);
  assert.equal(response.status(), 404);
  assert.match(await page.locator("main").innerText(), /Không tìm thấy/);
  const own = await adminPage.goto(`${base}/members/${encodeURIComponent(otherMember.code)}`);
  assert.equal(own.status(), 200, "the administrator sees it");
});

await step("screens of the other main pages", async () => {
  await adminPage.goto(`${base}/units`);
  await shot(adminPage, "06-tree");
  await adminPage.goto(`${base}/units/X2025-01864`);
  await shot(adminPage, "07-unit");
  // An edit of a member's record, read back in the audit log as a person would say it.
  await adminPage.goto(`${base}/members/${encodeURIComponent(member.code)}`);
  await adminPage.locator("#r-phone").fill("0912 345 678");
  await Promise.all([adminPage.waitForURL(/saved|notice|members/), adminPage.getByRole("button", { name: "Lưu" }).click()]);
  // Printed, the member's page is a record sheet: its facts and history, none of the forms.
  await adminPage.emulateMedia({ media: "print" });
  assert.ok(await adminPage.locator(".sheet-title").isVisible(), "the sheet's title prints");
  assert.equal(await adminPage.locator("form:visible").count(), 0, "no form prints");
  assert.ok(await adminPage.locator("dl.print-only").isVisible(), "the personal record prints");
  await adminPage.emulateMedia({ media: "screen" });
  await adminPage.goto(`${base}/admin/audit?kind=member`);
  const audit = await adminPage.locator("table.audit").innerText();
  assert.match(audit, /Sửa hồ sơ đảng viên/);
  assert.match(audit, /Điện thoại: \(trống\) → 0912 345 678/);
  assert.match(audit, /Ghi sự kiện/);
  assert.doesNotMatch(audit, /event\.record|member\.update|\d{4}-\d{2}-\d{2}|_id/);
  await shot(adminPage, "09-audit");
  // The import guide is a page of the app, every column of the templates explained.
  await adminPage.goto(`${base}/import`);
  await adminPage.getByRole("link", { name: /Hướng dẫn từng cột/ }).click();
  await adminPage.waitForURL(/\/import\/help/);
  assert.ok(await adminPage.locator("#members tbody tr").count() >= 18, "every column of the members file");
  await shot(adminPage, "21-import-help");
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "vi-VN", storageState: await admin.storageState() });
  const p = await phone.newPage();
  await p.goto(`${base}/admin/audit?kind=member`);
  await shot(p, "17-audit-phone");
  await p.goto(`${base}/restructure`);
  await p.getByRole("radio", { name: /Hợp nhất/ }).check();
  await p.getByRole("button", { name: "Tiếp tục" }).click();
  await p.waitForSelector("ul.tree-pick");
  assert.ok(await p.locator(`ul.tree-pick input[type=checkbox]`).count() >= 2, "a merge ticks several units in the tree");
  await shot(p, "18-restructure-phone");
  await phone.close();
});

await step("a unit's table of figures per sub-unit adds up, with shares as n/d (p %)", async () => {
  await adminPage.goto(`${base}/units/H060?as_of=31/12/2021`);
  const rows = adminPage.locator("table.figures tbody tr");
  assert.equal(await rows.count(), 34, "one row per grassroots organization of Pác Nặm");
  const number = (text) => Number(text.replace(/\./g, ""));
  const firstColumn = await adminPage.locator("table.figures tbody tr td:nth-child(2)").allInnerTexts();
  const total = number(await adminPage.locator("table.figures tfoot td:nth-child(2)").innerText());
  assert.equal(firstColumn.reduce((sum, v) => sum + number(v), 0), total, "the rows add up to the total");
  assert.equal(total, number(await adminPage.locator(`ul.cards a[data-key="members.total"] .value`).innerText()));
  assert.match(await adminPage.locator("table.figures tfoot td:nth-child(5)").innerText(), /^[\d.]+\/[\d.]+ \(\d+(,\d+)? %\)$/);
  await shot(adminPage, "11-unit-table", true);
});

await step("a dissolved unit says so and links to its successors; a bad date is named", async () => {
  await adminPage.goto(`${base}/?unit=H060&as_of=01/01/2026`);
  assert.match(await adminPage.locator("main").innerText(), /đã kết thúc/);
  assert.ok(await adminPage.locator(`a[href="/units/X2025-01864"]`).count() >= 1, "a successor is linked");
  await adminPage.goto(`${base}/?as_of=31/02/2026`);
  assert.match(await adminPage.locator("#as_of-error").innerText(), /không phải là ngày có thật/);
  assert.equal(await adminPage.locator("#as_of").getAttribute("aria-invalid"), "true");
});

await step("the balance of a past period of the old district adds up, every number a link", async () => {
  await adminPage.goto(`${base}/?unit=H060&as_of=31/12/2021&from=01/01/2021&to=31/12/2021`);
  const number = (text) => Number(text.replace(/\./g, ""));
  const value = async (key) => number(await adminPage.locator(`[data-key="${key}"]`).innerText());
  const sum = async (prefix) => (await adminPage.locator(`[data-key^="${prefix}"]`).allInnerTexts()).reduce((s, v) => s + number(v), 0);
  const start = await value("balance.start");
  const added = await sum("balance.in.");
  const removed = await sum("balance.out.");
  const end = await value("balance.end");
  assert.equal(start + added - removed, end, `${start} + ${added} − ${removed} = ${end}`);
  assert.equal(await adminPage.locator(`[data-key="balance.identity"]`).innerText(),
    `${start.toLocaleString("de-DE")} + ${added.toLocaleString("de-DE")} − ${removed.toLocaleString("de-DE")} = ${end.toLocaleString("de-DE")}`);
  assert.equal(end, 2750, "Pác Nặm's members at the end of 2021");
  assert.match(await adminPage.locator("#targets-line").innerText(), /Chỉ tiêu: đạt 47\/55 · Kết nạp đảng viên: 100 \/ chỉ tiêu từ 80 \(125 %\) · Nhiệm vụ quá hạn: 1/);
  await shot(adminPage, "02-dashboard", true);
});

await step("the 2021 targets of the old district: 47/55 met, by domain, as the press report says", async () => {
  await adminPage.goto(`${base}/targets?unit=H060&from=01/01/2021&to=31/12/2021`);
  assert.equal(await adminPage.locator("#targets-met").innerText(), "Đạt 47/55");
  for (const [domain, met] of [["economy", "16/22"], ["culture_society", "15/16"], ["defence_security", "10/11"], ["party_building", "6/6"]]) {
    assert.equal(await adminPage.locator(`[data-domain="${domain}"]`).innerText(), met, domain);
  }
  const admissions = adminPage.locator("table.targets tr", { hasText: "Kết nạp" }).locator("a");
  const counted = await admissions.innerText();
  await Promise.all([adminPage.waitForURL(/\/figures\/admissions/), admissions.click()]);
  assert.equal(await adminPage.locator(`[data-key="total"]`).innerText(), counted, "the drill-down counts the same");
  await adminPage.goto(`${base}/targets?unit=H060&from=01/01/2021&to=31/12/2021`);
  await shot(adminPage, "22-targets", true);
  // The documents of the year, and the resolution with the targets it sets.
  await Promise.all([adminPage.waitForURL(/\/documents\?/), adminPage.getByRole("link", { name: "Văn bản chỉ đạo" }).last().click()]);
  // Signed in 2021: the standing committee's 3 + 3, the communes' 17 + 10, the mass organizations' 8 + 1.
  assert.equal(await adminPage.locator("#documents-count").innerText(), "42");
  await shot(adminPage, "23-documents", true);
  await adminPage.goto(`${base}/documents?unit=H060&from=01/01/2020&to=31/12/2021`);
  await Promise.all([adminPage.waitForURL(/\/documents\/\d+/), adminPage.getByRole("link", { name: "03-NQ/HU" }).click()]);
  // Its 55 targets and the admission target's 10 parts, one per commune: 78 of the 80 allocated.
  assert.match(await adminPage.locator("h2").first().innerText(), /\(65\)/);
  const split = adminPage.locator("small.allocation");
  assert.equal(await split.getAttribute("data-adds-up"), "false");
  assert.match(await split.innerText(), /Phân bổ cho 10 đơn vị, tổng 78: thiếu 2 so với chỉ tiêu/);
  // The tasks it assigns, with their state today.
  assert.equal(await adminPage.locator("table.tasks tbody tr").count(), 8);
  await shot(adminPage, "24-document");
});

await step("the tasks of 2021 at the year's end: overdue first, then due soon, then the rest", async () => {
  await adminPage.goto(`${base}/tasks?unit=H060&as_of=31/12/2021`);
  assert.equal(await adminPage.locator('#task-counts [data-state="done"]').innerText(), "Hoàn thành: 6");
  assert.equal(await adminPage.locator('#task-counts [data-state="overdue"]').innerText(), "Quá hạn: 1");
  assert.match(await adminPage.locator("#tasks-overdue").innerText(), /Rà soát, hoàn thiện hồ sơ đảng viên/);
  assert.match(await adminPage.locator("#tasks-due-soon").innerText(), /Dân vận khéo/);
  await shot(adminPage, "25-tasks", true);
});

await step("a document filed through the form, a target set on it, a bad value named", async () => {
  await adminPage.goto(`${base}/documents?unit=H060`);
  await Promise.all([adminPage.waitForURL(/\/documents\/new/), adminPage.locator("#new-document").click()]);
  await adminPage.locator("#d-unit").fill("H060");
  await adminPage.locator("#d-kind").selectOption("plan");
  await adminPage.locator("#d-number").fill("120-KH/HU");
  await adminPage.locator("#d-title").fill("Kế hoạch kiểm tra, giám sát năm 2026");
  await adminPage.locator("#d-signed_on").fill("05/01/2026");
  await adminPage.locator("#d-valid_from").fill("01/01/2026");
  await adminPage.locator("#d-valid_to").fill("31/12/2026");
  await adminPage.locator("#d-domain").selectOption("inspection");
  await Promise.all([adminPage.waitForURL(/ok=filed/), adminPage.getByRole("button", { name: "Lưu" }).click()]);
  assert.equal(await adminPage.locator("#notice").innerText(), "Đã lưu văn bản.");
  await adminPage.locator("#t-text").fill("Kiểm tra từ 10 tổ chức đảng");
  await adminPage.locator("#t-value").fill("mười");
  await adminPage.getByRole("button", { name: "Thêm chỉ tiêu" }).click();
  assert.match(await adminPage.locator("#t-value-err").innerText(), /«mười» không phải số/);
  await shot(adminPage, "26-document-form", true);
});

await step("a unit picked by typing its name without tone marks", async () => {
  await adminPage.goto(`${base}/`);
  await adminPage.locator("#unit").fill("");
  await adminPage.locator("#unit").pressSequentially("bang thanh");
  const option = adminPage.locator(".picker-options [role=option]").first();
  await option.waitFor();
  assert.match(await option.innerText(), /Bằng Thành/);
  await adminPage.keyboard.press("ArrowDown");
  await adminPage.keyboard.press("Enter");
  assert.match(await adminPage.locator("#unit").inputValue(), /^[A-Z0-9-]+$/, "the code is filled in");
  await Promise.all([adminPage.waitForURL(/unit=/), adminPage.getByRole("button", { name: "Xem" }).click()]);
  assert.match(await adminPage.locator("h1").innerText(), /Bằng Thành/);
});

await step("the table per organization, sorted and exported to Excel", async () => {
  await adminPage.goto(`${base}/table?unit=H060&as_of=31/12/2021&from=01/01/2021&to=31/12/2021&sort=members.total&desc=1`);
  const names = await adminPage.locator("table.figures tbody th").allInnerTexts();
  const totals = (await adminPage.locator("table.figures tbody tr td:nth-child(2)").allInnerTexts()).map((v) => Number(v.replace(/\./g, "")));
  assert.equal(names.length, 34);
  assert.deepEqual([...totals].sort((a, b) => b - a), totals, "largest first");
  expected.table = { names, totals, total: Number((await adminPage.locator("table.figures tfoot td:nth-child(2)").innerText()).replace(/\./g, "")) };
  const [download] = await Promise.all([adminPage.waitForEvent("download"), adminPage.getByRole("link", { name: "Xuất Excel" }).click()]);
  await download.saveAs(join(downloads, "table.xlsx"));
  await shot(adminPage, "12-table");
});

await step("a drill-down list past 1.000 rows, paged and exported whole", async () => {
  await adminPage.goto(`${base}/figures/members.total?unit=H060&as_of=31/12/2021`);
  assert.equal(await adminPage.locator(`[data-key="total"]`).innerText(), "2.750");
  assert.equal(await adminPage.locator("table.records tbody tr").count(), 200);
  await shot(adminPage, "13-drill-down");
  await adminPage.locator('a[rel="next"]').click();
  await adminPage.waitForURL(/after=/);
  assert.equal(await adminPage.locator(`[data-key="shown"]`).innerText(), "201–400");
  const [download] = await Promise.all([adminPage.waitForEvent("download"), adminPage.getByRole("link", { name: /Xuất Excel/ }).click()]);
  await download.saveAs(join(downloads, "drill-down.xlsx"));
  expected.drillDown = { rows: 2750 };
});

await step("the member export follows the search typed", async () => {
  await page.goto(`${base}/members`);
  await page.getByLabel("Tìm theo tên hoặc mã").pressSequentially("nguyen van");
  await page.waitForSelector(`#member-rows[data-query="nguyen van"]`);
  const count = await page.locator("#member-count").innerText();
  assert.match(count, /^Tìm thấy [\d.]+ đảng viên$/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#member-export").click()]);
  await download.saveAs(join(downloads, "members.xlsx"));
  expected.members = { count: Number(count.replace(/[^\d]/g, "")), search: "nguyen van" };
});

await step("a split done by picking: the kind, the branch in the tree, each member's new branch", async () => {
  await page.goto(`${base}/restructure`);
  await page.getByRole("radio", { name: /Chia tách/ }).check();
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  // A branch of the commune, ticked in the tree.
  const branch = page.locator(`ul.tree-pick li:has-text("Chi bộ trực thuộc") input[type=radio]:not([disabled])`).first();
  const code = await branch.getAttribute("value");
  const name = (await branch.locator("xpath=..").innerText()).trim();
  await branch.check();
  await page.getByLabel("Loại đơn vị").selectOption("branch");
  await page.getByLabel("Ngày hiệu lực").fill(today());
  await page.getByLabel("Số quyết định").fill("25-QĐ/ĐU");
  await page.getByRole("button", { name: "Tiếp tục" }).click();
  await page.waitForSelector("fieldset.assign");
  assert.match(await page.locator("h2").first().innerText(), new RegExp(name));
  const parts = [[`${code}-A`, `${name} A`], [`${code}-B`, `${name} B`]];
  for (const [i, [partCode, partName]] of parts.entries()) {
    await page.getByLabel(`Mã ${i + 1}`, { exact: true }).fill(partCode);
    await page.getByLabel(`Tên mới ${i + 1}`, { exact: true }).fill(partName);
  }
  // Everyone to the first new branch at once, then the first member to the second.
  await page.getByLabel("Chuyển tất cả vào").first().selectOption({ label: parts[0][1] });
  const choices = page.locator("select[data-part-select]");
  const members = await choices.count();
  assert.ok(members >= 2, `the branch has ${members} members`);
  await choices.nth(0).selectOption({ label: parts[1][1] });
  assert.equal(await choices.nth(1).locator("option:checked").innerText(), parts[0][1], "the choices carry the typed names");
  await shot(page, "08-restructure", true);
  await page.getByRole("button", { name: "Xem trước" }).click();
  await page.waitForSelector("#restructure-preview");
  const rows = page.locator("#restructure-preview tbody tr");
  assert.equal(await rows.count(), members, "everyone who moves is listed");
  assert.equal(await rows.filter({ hasText: parts[1][1] }).count(), 1, "one member goes to the second branch");
  assert.match(await page.locator("#restructure-preview").innerText(), /Đơn vị sẽ thành lập/);
  await page.getByRole("button", { name: "Thực hiện" }).click();
  await page.waitForSelector("text=Đã thực hiện sắp xếp tổ chức.");
  assert.match(await page.locator("#restructure-preview").innerText(), /Đơn vị đã thành lập[\s\S]*Đảng viên đã chuyển/);
  await shot(page, "20-restructure-done");
  // The links of the result lead to the new branch, which holds its member.
  await page.locator(`#restructure-preview a[href="/units/${encodeURIComponent(parts[1][0])}"]`).click();
  await page.waitForURL(/\/units\//);
  assert.match(await page.locator("h1").innerText(), new RegExp(parts[1][1]));
  assert.equal(await figure(page, "members.total"), 1, "the second branch holds the one member sent there");
});

await step("the admission board on the demo's last day, a late decision refused, then recorded", async () => {
  await adminPage.goto(`${base}/candidates?unit=T19&as_of=31/10/2026`);
  // A column per open stage, each file a card; the late ones marked.
  assert.equal(await adminPage.locator(".board-column").count(), 8);
  assert.equal(await adminPage.locator(".board-card").count(), 11);
  const late = await adminPage.locator(".board-card.overdue").evaluateAll((cards) => cards.map((c) => c.dataset.code));
  assert.deepEqual(late.sort(), ["HS-2026-05", "HS-2026-08", "HS-2026-11"]);
  await shot(adminPage, "27-admission-board", true);
  await adminPage.goto(`${base}/candidates/due?unit=T19&as_of=31/10/2026`);
  assert.ok((await adminPage.locator("#due-list tbody tr").count()) >= 6);
  assert.equal(await adminPage.locator("#due-list tr.overdue[data-code='HS-2026-08']").count(), 1);
  await shot(adminPage, "28-admission-due", true);
  // The committee proposed Đàm Thị Nga on 10 September; the decision was due by 16 November.
  await adminPage.goto(`${base}/candidates/HS-2026-09`);
  const decide = adminPage.locator('details[data-stage="decided"]');
  await decide.locator("summary").click();
  await decide.locator("#decided-on").fill("20/11/2026");
  await decide.locator("#decided-number").fill("315-QĐ/ĐU");
  await decide.locator("#decided-committee").fill("Đảng ủy xã Bằng Thành");
  await decide.getByRole("button", { name: "Ghi bước" }).click();
  assert.match(await adminPage.locator("#notice").innerText(), /quá 60 ngày làm việc.*hạn 16\/11\/2026/);
  await decide.locator("#decided-on").fill("12/11/2026");
  await Promise.all([adminPage.waitForURL(/ok=step/), decide.getByRole("button", { name: "Ghi bước" }).click()]);
  assert.equal(await adminPage.locator("#stage").innerText(), "Đã có quyết định kết nạp");
  assert.equal(await adminPage.locator("#member-link").count(), 1);
  await shot(adminPage, "29-candidate", true);
});

await step("the 2021 review of the old district: every branch done, the year's shares, a branch's grid", async () => {
  await adminPage.goto(`${base}/ratings?unit=H060&year=2021`);
  const branches = await adminPage.locator("#review-branches tbody tr").count();
  assert.ok(branches > 100, `${branches} branches`);
  assert.equal(await adminPage.locator("#review-progress").innerText(), `Chi bộ đã xếp loại xong: ${branches}/${branches}`);
  assert.match(await adminPage.locator("#review-figures").innerText(), /hoàn thành tốt nhiệm vụ trở lên: [0-9.]+\/[0-9.]+ \(\d+(,\d+)? %\)/);
  await shot(adminPage, "30-ratings-review");
  await adminPage.locator("#review-branches tbody tr a").first().click();
  await adminPage.waitForSelector("#rating-grid");
  assert.ok((await adminPage.locator("#rating-grid select").count()) > 0);
  await shot(adminPage, "31-rating-grid", true);
});

await step("2016 under the old scheme: the results by grassroots organization, and the committee's grid of 2024", async () => {
  await adminPage.goto(`${base}/ratings?unit=H060&year=2016`);
  const results = adminPage.locator("#review-results");
  assert.match(await results.innerText(), /Trong sạch, vững mạnh/);
  assert.match(await results.locator("tfoot").innerText(), /Tổng số/);
  const rated = await results.locator("tbody tr td:nth-child(3)").allInnerTexts();
  assert.ok(rated.every((n) => Number(n.replace(/\./g, "")) > 0), `every organization has its members rated: ${rated}`);
  await results.screenshot({ path: join(shots, "32-ratings-results.png") });
  const [download] = await Promise.all([adminPage.waitForEvent("download"), adminPage.locator("#results-export").click()]);
  assert.match(download.suggestedFilename(), /^xep-loai-h060-2016\.xlsx$/i);
  await adminPage.goto(`${base}/ratings/H060/units?year=2024`);
  const rows = await adminPage.locator("#units-grid tbody tr").count();
  assert.ok(rows > 10, `${rows} organizations`);
  assert.ok((await adminPage.locator("#units-grid select[name^='level.'] option:checked").allInnerTexts()).every((t) => t !== "—"));
  await shot(adminPage, "33-rating-units", true);
});

await step("inspection: the district's term, a case with its discipline and complaint, an overdue complaint", async () => {
  await adminPage.goto(`${base}/inspections?unit=H060&from=01/01/2021&to=31/12/2024`);
  const cases = await adminPage.locator("#cases tbody tr").count();
  assert.ok(cases >= 20, `${cases} cases`);
  assert.match(await adminPage.locator("#inspection-figures").innerText(), /Đảng viên bị thi hành kỷ luật\s+8/);
  await shot(adminPage, "34-inspections");
  await adminPage.locator("#cases a", { hasText: "KT-2024-08" }).click();
  await adminPage.waitForSelector("#subjects");
  const subjects = await adminPage.locator("#subjects").innerText();
  assert.match(subjects, /Cảnh cáo/);
  assert.match(subjects, /Giữ nguyên quyết định/);
  await shot(adminPage, "35-inspection-case", true);
  await adminPage.goto(`${base}/inspections?unit=X2025-01864&from=01/01/2026&to=30/11/2026`);
  assert.match(await adminPage.locator("#open-complaints").innerText(), /Khai trừ.*Quá hạn/s);
});

await step("cadres and study: the district's posts, the standards' table, a session on a resolution", async () => {
  await adminPage.goto(`${base}/cadres?unit=H060&on=31/12/2024`);
  const posts = await adminPage.locator("#posts tbody tr").count();
  assert.ok(posts > 50, `${posts} posts held`);
  assert.match(await adminPage.locator("#cadre-figures").innerText(), /kiêm trưởng thôn[^\n]*\n?\s*50\/60 \(83,33 %\)/);
  await shot(adminPage, "36-cadre-posts");
  await adminPage.goto(`${base}/cadres/standards?unit=H060&on=31/12/2021`);
  assert.match(await adminPage.locator("#compliance").innerText(), /lý luận chính trị từ trung cấp trở lên/);
  await shot(adminPage, "37-cadre-standards");
  await adminPage.goto(`${base}/study/HT-2021-01`);
  assert.match(await adminPage.locator("#session-documents").innerText(), /03-NQ\/HU/);
  assert.ok((await adminPage.locator("#session-units tbody tr").count()) > 5);
  await shot(adminPage, "38-study-session", true);
});

await step("no page shows a figure key, an English status word or an ISO date", async () => {
  const pages = ["/", "/?unit=H060&as_of=31/12/2021", "/table?unit=H060&as_of=31/12/2021",
    "/figures/members.total?unit=H060&as_of=31/12/2021", "/figures/admissions?unit=H060&as_of=31/12/2021",
    "/members", `/members/${encodeURIComponent(member.code)}`, "/units/H060?as_of=31/12/2021", "/units", "/admin/audit",
    "/restructure", "/import", "/import/help", "/targets?unit=H060&from=01/01/2021&to=31/12/2021",
    "/candidates?unit=T19&as_of=31/10/2026", "/candidates/due?unit=T19&as_of=31/10/2026", "/candidates/HS-2026-09",
    "/ratings?unit=H060&year=2021", "/ratings?unit=X2025-01864&year=2025", "/ratings/H060/units?year=2016",
    "/classes?unit=X2025-01864&from=01/01/2026&to=31/12/2026",
    "/inspections?unit=H060&from=01/01/2021&to=31/12/2024", "/inspections/KT-2024-08",
    "/cadres?unit=H060&on=31/12/2021", "/cadres/moves?unit=H060&from=01/01/2020&to=31/12/2020",
    "/cadres/standards?unit=H060&on=31/12/2021", "/study?unit=H060&from=01/01/2021&to=31/12/2021", "/study/HT-2021-01"];
  for (const path of pages) {
    await adminPage.goto(`${base}${path}`);
    const text = await adminPage.locator("main").innerText();
    for (const [what, pattern] of [["a figure key", /\b(members|units)\.[a-z_]+/], ["an ISO date", /\b\d{4}-\d{2}-\d{2}\b/],
      ["an English status word", /\b(full|probationary|admission|transfer_in|transfer_out|death)\b/]]) {
      const found = text.match(pattern);
      assert.ok(!found, `${path} shows ${what}: «${found && found[0]}»`);
    }
  }
});

await step("usable at phone width", async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "vi-VN", storageState: await staff.storageState() });
  const p = await phone.newPage();
  for (const path of ["/", "/members", `/members/${encodeURIComponent(member.code)}`, "/table", "/figures/members.total", "/restructure",
    "/candidates", "/candidates/due", "/ratings"]) {
    await p.goto(`${base}${path}`);
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${path} fits a phone (overflow ${overflow}px)`);
  }
  // The import's bad rows read on a phone without scrolling sideways.
  await p.goto(`${base}/import`);
  await p.getByLabel("Sự kiện (kết nạp, chuyển sinh hoạt…)").check();
  await p.getByLabel("Tệp").setInputFiles(badFile);
  await p.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await p.waitForSelector("#import-errors");
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the import's errors fit a phone (overflow ${overflow}px)`);
  await shot(p, "19-import-errors-phone");
  await p.goto(`${base}/`);
  await shot(p, "10-dashboard-phone");
  for (const [path, name] of [["/table", "14-table-phone"], ["/figures/members.total", "15-drill-down-phone"],
    ["/units/X2025-01864", "16-unit-phone"]]) {
    await p.goto(`${base}${path}`);
    await shot(p, name);
  }
  await phone.close();
});

await step("the English switch", async () => {
  await page.goto(`${base}/`);
  await page.getByRole("link", { name: "English" }).click();
  await page.waitForSelector("text=Dashboard");
  await page.getByRole("link", { name: "Tiếng Việt" }).click();
  await page.waitForSelector("text=Tổng quan");
});

await step("no page logged an error (content security policy, scripts)", async () => {
  // 4xx answers are expected (refused forms, a member out of scope); anything else is not.
  const unexpected = consoleErrors.filter((text) => !/status of 4\d\d/.test(text));
  assert.deepEqual(unexpected, []);
});

await browser.close();
writeFileSync(join(downloads, "expected.json"), JSON.stringify(expected));
console.log(`${steps.length} journeys passed`);
