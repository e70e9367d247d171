//! A deterministic synthetic country: [`county`] builds county number `index` of a country
//! generated from `seed`, with ids from 1 (the store rebases them), ready for
//! [`CountyDataset::validate`].
//!
//! Each county has the shape of a real county-town work plan: 20 bureaus and 8–14 townships,
//! one plan in force with 8 chapters aligned to the 39 national items, 6 task areas with 25
//! key tasks, 8 indicators, 19 project categories and 53 projects with annual investment
//! plans, funding lines, permits and risks. Started projects report monthly from 2021-01 to
//! 2025-12 ([`FIRST_PERIOD`]..=[`last_period`]), with what a dispatch office meets: slipped
//! starts, projects behind plan, stalled ones, late reporters, missing months, a figure that
//! falls, a last month not yet all approved.
//!
//! Everything is illustrative (示例数据): names are composed from syllables, amounts and
//! reports are random. Division codes have the GB/T 2260 shape (a real province prefix, a
//! city 01–99, a county 31–99) and are unique per index, but do not name real counties;
//! they never collide with the Panshan demo (211122). Generation reads no clock and uses a
//! SplitMix64 generator seeded by `seed` and `index`, so the same arguments give the same
//! county on every machine. Report narratives are kept to the last three months of each
//! project, so that the whole country (about 150,000 projects) stays small in memory.

use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::enums::*;
use xiancheng_core::ids::*;
use xiancheng_core::model::*;
use xiancheng_core::{Date, DivisionCode, Money, Percent, ProjectCode, YearMonth};

/// Mainland province-level prefixes of GB/T 2260, with names and a rough centre (lon, lat).
const PROVINCES: [(u32, &str, f64, f64); 31] = [
    (11, "北京市", 116.4, 40.2),
    (12, "天津市", 117.3, 39.3),
    (13, "河北省", 115.5, 38.5),
    (14, "山西省", 112.3, 37.6),
    (15, "内蒙古自治区", 111.7, 42.5),
    (21, "辽宁省", 122.6, 41.3),
    (22, "吉林省", 126.2, 43.5),
    (23, "黑龙江省", 128.0, 47.0),
    (31, "上海市", 121.4, 31.2),
    (32, "江苏省", 119.4, 32.9),
    (33, "浙江省", 120.1, 29.2),
    (34, "安徽省", 117.2, 31.8),
    (35, "福建省", 118.1, 26.1),
    (36, "江西省", 115.7, 27.6),
    (37, "山东省", 118.2, 36.3),
    (41, "河南省", 113.6, 33.9),
    (42, "湖北省", 112.3, 30.9),
    (43, "湖南省", 111.7, 27.6),
    (44, "广东省", 113.4, 23.3),
    (45, "广西壮族自治区", 108.8, 23.7),
    (46, "海南省", 109.8, 19.2),
    (50, "重庆市", 107.8, 30.0),
    (51, "四川省", 102.7, 30.6),
    (52, "贵州省", 106.7, 26.8),
    (53, "云南省", 101.5, 24.9),
    (54, "西藏自治区", 89.1, 31.4),
    (61, "陕西省", 108.9, 35.2),
    (62, "甘肃省", 103.8, 36.1),
    (63, "青海省", 96.0, 35.7),
    (64, "宁夏回族自治区", 106.2, 37.3),
    (65, "新疆维吾尔自治区", 85.3, 41.1),
];

/// County digits run from 31 to 99: 69 per city.
const COUNTY_DIGITS: u32 = 69;
const FIRST_COUNTY_DIGITS: u32 = 31;

/// How many distinct counties the generator can make (31 provinces × 99 cities × 69).
pub const MAX_COUNTIES: u32 = PROVINCES.len() as u32 * 99 * COUNTY_DIGITS;

/// Projects per county.
pub const PROJECTS_PER_COUNTY: usize = 53;

/// The first month with reports.
pub const FIRST_PERIOD: (i32, u32) = (2021, 1);

/// The last month with reports (2025-12): the reference period of the synthetic country.
pub fn last_period() -> YearMonth {
    ym(2025, 12)
}

fn ym(year: i32, month: u32) -> YearMonth {
    YearMonth::new(year, month).expect("a valid month")
}

fn date(year: i32, month: u32, day: u32) -> Option<Date> {
    Date::new(year, month, day.clamp(1, 28))
}

/// Month number counted from year 0 (for arithmetic on months).
fn mi(m: YearMonth) -> i32 {
    m.year() * 12 + m.month() as i32 - 1
}

fn from_mi(i: i32) -> YearMonth {
    ym(i.div_euclid(12), (i.rem_euclid(12) + 1) as u32)
}

/// The division code of county `index`: province, then county digits, then city digits
/// vary fastest to slowest, so the first 42,780 counties stay in cities 01–20.
/// Panics when `index >= MAX_COUNTIES`.
pub fn division_code(index: u32) -> DivisionCode {
    assert!(
        index < MAX_COUNTIES,
        "the synthetic country has at most {MAX_COUNTIES} counties"
    );
    let (p, city, county) = code_parts(index);
    let province = PROVINCES[p].0;
    DivisionCode::parse(
        "division_code",
        &format!("{province:02}{city:02}{county:02}"),
    )
    .expect("a valid division code by construction")
}

/// Index into [`PROVINCES`], city digits, county digits.
fn code_parts(index: u32) -> (usize, u32, u32) {
    let rest = index / PROVINCES.len() as u32;
    (
        (index % PROVINCES.len() as u32) as usize,
        1 + rest / COUNTY_DIGITS,
        FIRST_COUNTY_DIGITS + rest % COUNTY_DIGITS,
    )
}

/// SplitMix64, as in the Panshan generator.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u32) -> Rng {
        let mut r = Rng(seed ^ u64::from(index).wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in `0..1`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + self.unit() * (hi - lo)
    }

    /// An integer in `lo..=hi`.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1).max(1) as u64) as i64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Roughly standard normal (sum of four uniforms).
    fn normal(&mut self) -> f64 {
        (self.unit() + self.unit() + self.unit() + self.unit() - 2.0) * 3f64.sqrt()
    }
}

const SYLLABLE_A: [&str; 40] = [
    "安", "宝", "昌", "德", "东", "丰", "福", "广", "海", "和", "河", "华", "嘉", "建", "江", "金",
    "乐", "临", "龙", "宁", "平", "清", "庆", "仁", "瑞", "山", "胜", "泰", "天", "通", "万", "文",
    "西", "祥", "新", "兴", "阳", "永", "源", "长",
];
const SYLLABLE_B: [&str; 30] = [
    "安", "城", "川", "丰", "和", "湖", "化", "江", "康", "林", "陵", "宁", "平", "浦", "泉", "山",
    "水", "台", "潭", "溪", "乡", "阳", "原", "州", "泽", "中", "庄", "峰", "河", "口",
];
const SYLLABLE_C: [&str; 8] = ["", "北", "南", "东", "西", "上", "下", "中"];

/// County bureaus: full-name suffix, short name.
const BUREAUS: [(&str, &str); 20] = [
    ("发展和改革局", "县发改局"),
    ("住房和城乡建设局", "县住建局"),
    ("自然资源局", "县自然资源局"),
    ("财政局", "县财政局"),
    ("交通运输局", "县交通局"),
    ("卫生健康局", "县卫健局"),
    ("教育局", "县教育局"),
    ("民政局", "县民政局"),
    ("文化旅游和广播电视局", "县文旅局"),
    ("水利局", "县水利局"),
    ("农业农村局", "县农业农村局"),
    ("商务局", "县商务局"),
    ("工业和信息化局", "县工信局"),
    ("城市管理综合行政执法局", "县城管局"),
    ("人力资源和社会保障局", "县人社局"),
    ("统计局", "县统计局"),
    ("应急管理局", "县应急局"),
    ("市场监督管理局", "县市场监管局"),
    ("生态环境分局", "县生态环境分局"),
    ("城市建设投资有限公司", "县城投公司"),
];
const FAGAI: usize = 0;
const ZHUJIAN: usize = 1;
const ZIRAN: usize = 2;
const CAIZHENG: usize = 3;
const TONGJI: usize = 15;

/// A project category: code, name, NDRC 2020 areas, lead bureau, project name stems.
type CategoryDef = (
    &'static str,
    &'static str,
    &'static [&'static str],
    usize,
    [&'static str; 2],
);

/// Project categories (as in the Panshan demo).
const CATEGORIES: [CategoryDef; 19] = [
    (
        "L01",
        "医疗卫生设施",
        &["A1"],
        5,
        ["人民医院综合楼", "中医院扩建"],
    ),
    (
        "L02",
        "教育设施",
        &["A2"],
        6,
        ["第二高级中学", "城区小学扩容"],
    ),
    (
        "L03",
        "养老托育设施",
        &["A3"],
        7,
        ["综合养老服务中心", "公办托育中心"],
    ),
    (
        "L04",
        "文旅体育设施",
        &["A4"],
        8,
        ["全民健身中心", "文化馆图书馆"],
    ),
    (
        "L05",
        "社会福利设施",
        &["A5"],
        7,
        ["儿童福利院", "救助管理站"],
    ),
    (
        "L06",
        "社区综合服务设施",
        &["A6"],
        7,
        ["社区综合服务中心", "便民服务站"],
    ),
    (
        "L07",
        "垃圾无害化资源化处理设施",
        &["B1"],
        13,
        ["生活垃圾焚烧发电", "餐厨垃圾处理"],
    ),
    (
        "L08",
        "污水集中处理设施",
        &["B2"],
        1,
        ["污水处理厂提标改造", "再生水利用"],
    ),
    (
        "L09",
        "县城公共厕所",
        &["B3"],
        13,
        ["公厕新建改造", "环卫公厕提升"],
    ),
    (
        "L10",
        "市政交通设施",
        &["C1"],
        4,
        ["城区道路改造", "公共停车场"],
    ),
    (
        "L11",
        "市政管网设施",
        &["C2"],
        1,
        ["老旧管网更新", "雨污分流改造"],
    ),
    (
        "L12",
        "配送投递设施",
        &["C3"],
        11,
        ["县级物流配送中心", "快递分拨中心"],
    ),
    (
        "L13",
        "老旧小区更新改造",
        &["C4"],
        1,
        ["老旧小区改造", "城中村改造"],
    ),
    (
        "L14",
        "县城智慧化改造",
        &["C5"],
        12,
        ["城市运行管理平台", "智慧停车"],
    ),
    (
        "L15",
        "产业平台配套设施",
        &["D1"],
        12,
        ["开发区标准化厂房", "园区配套道路"],
    ),
    (
        "L16",
        "冷链物流设施",
        &["D2"],
        11,
        ["农产品冷链物流中心", "冷库"],
    ),
    ("L17", "农贸市场", &["D3"], 11, ["农贸市场改造", "便民市场"]),
    (
        "L18",
        "防洪排涝与防灾减灾",
        &[],
        9,
        ["城区排涝泵站", "河道综合治理"],
    ),
    (
        "L19",
        "历史文化保护与蓝绿生态空间",
        &[],
        2,
        ["历史街区保护", "滨河生态公园"],
    ),
];

/// A key task: title, the categories whose projects it carries, national items (covered
/// first, then partial), progress mode, indicator codes.
struct TaskDef {
    title: &'static str,
    categories: &'static [usize],
    items: &'static [i32],
    partial: &'static [i32],
    mode: ProgressMode,
    indicators: &'static [usize],
}

const fn task(
    title: &'static str,
    categories: &'static [usize],
    items: &'static [i32],
    partial: &'static [i32],
    mode: ProgressMode,
    indicators: &'static [usize],
) -> TaskDef {
    TaskDef {
        title,
        categories,
        items,
        partial,
        mode,
        indicators,
    }
}

use ProgressMode::{Derived as D, Entered as E, Excluded as X};

/// Six areas, 25 tasks.
const AREAS: [(&str, &[TaskDef]); 6] = [
    (
        "培育发展特色优势产业，稳定扩大县城就业岗位",
        &[
            task("增强县城产业支撑能力", &[14], &[9], &[13], D, &[1]),
            task("提升产业平台功能", &[14, 13], &[10], &[], D, &[1]),
            task("健全商贸流通网络", &[11, 15], &[11], &[19], D, &[]),
            task("完善消费基础设施", &[16], &[12], &[], D, &[]),
        ],
    ),
    (
        "完善市政设施体系，夯实县城运行基础支撑",
        &[
            task("完善市政交通设施", &[9], &[14, 15], &[], D, &[7]),
            task("加强老化管网改造", &[10], &[18], &[], D, &[]),
            task("健全防洪排涝设施", &[17], &[16], &[17], D, &[]),
            task("推进老旧小区更新改造", &[12], &[], &[18], D, &[]),
            task("推进县城数字化改造", &[13], &[20], &[], D, &[]),
        ],
    ),
    (
        "强化公共服务供给，增进县城民生福祉",
        &[
            task("完善医疗卫生体系", &[0], &[21], &[], D, &[4]),
            task("扩大教育资源供给", &[1], &[22], &[], D, &[]),
            task("发展养老托育服务", &[2], &[23], &[], D, &[]),
            task("优化文化体育设施", &[3], &[24], &[], D, &[]),
            task("完善社会福利设施", &[4, 5], &[25], &[], D, &[]),
        ],
    ),
    (
        "加强历史文化和生态保护，提升县城人居环境质量",
        &[
            task("完善垃圾收集处理体系", &[6], &[29], &[], D, &[3]),
            task("增强污水收集处理能力", &[7], &[30], &[], D, &[2]),
            task("推进县城公厕提档升级", &[8], &[], &[29], D, &[]),
            task(
                "保护历史文化，打造蓝绿生态空间",
                &[18],
                &[26, 27],
                &[28],
                D,
                &[5],
            ),
        ],
    ),
    (
        "提高县城辐射带动乡村能力，促进县乡村功能衔接互补",
        &[
            task("推进县城基础设施向乡村延伸", &[9, 10], &[31], &[], D, &[]),
            task("推进县城公共服务向乡村覆盖", &[0, 1], &[32], &[], D, &[]),
            task("推动县城产业与乡村产业联动发展", &[11], &[33], &[], D, &[]),
        ],
    ),
    (
        "深化体制机制创新，为县城建设提供政策保障",
        &[
            task("健全农业转移人口市民化机制", &[], &[34], &[], E, &[0, 6]),
            task("建立多元可持续的投融资机制", &[], &[35], &[], E, &[]),
            task("建立集约高效的建设用地利用机制", &[], &[36], &[], E, &[]),
            task("健全重大项目推进机制", &[], &[], &[], X, &[]),
        ],
    ),
];

/// An indicator: code, name, unit, direction, decimals, theme, source bureau, baseline,
/// 2025 target.
type IndicatorDef = (
    &'static str,
    &'static str,
    &'static str,
    Direction,
    u8,
    &'static str,
    usize,
    f64,
    f64,
);

const INDICATORS: [IndicatorDef; 8] = [
    (
        "ZB01",
        "常住人口城镇化率",
        "%",
        Direction::Up,
        1,
        "人口",
        TONGJI,
        48.0,
        55.0,
    ),
    (
        "ZB02",
        "城镇新增就业人数",
        "人",
        Direction::Up,
        0,
        "就业",
        14,
        2000.0,
        2300.0,
    ),
    (
        "ZB03",
        "县城污水集中收集率",
        "%",
        Direction::Up,
        1,
        "市政",
        ZHUJIAN,
        62.0,
        75.0,
    ),
    (
        "ZB04",
        "县城生活垃圾无害化处理率",
        "%",
        Direction::Up,
        1,
        "环境",
        13,
        92.0,
        99.0,
    ),
    (
        "ZB05",
        "每千常住人口执业（助理）医师数",
        "人",
        Direction::Up,
        2,
        "公共服务",
        5,
        2.4,
        3.0,
    ),
    (
        "ZB06",
        "县城建成区绿地率",
        "%",
        Direction::Up,
        1,
        "生态",
        13,
        33.0,
        38.0,
    ),
    (
        "ZB07",
        "城镇居民人均可支配收入",
        "元",
        Direction::Up,
        0,
        "收入",
        TONGJI,
        30000.0,
        39000.0,
    ),
    (
        "ZB08",
        "县城人均市政道路面积",
        "平方米",
        Direction::Up,
        1,
        "市政",
        4,
        14.0,
        17.0,
    ),
];

const STAGE_WORDS: [&str; 5] = [
    "场地平整及基础施工",
    "主体结构施工",
    "主体施工及配套管线敷设",
    "装饰装修及附属工程",
    "竣工验收及收尾",
];

/// Chinese numerals 1..=99 for labels (第二十七条).
fn cn(n: usize) -> String {
    const U: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => U[n].to_owned(),
        10..=19 => format!("十{}", U[n % 10]),
        _ => format!("{}十{}", U[n / 10], U[n % 10]),
    }
}

struct Ids(i64);

impl Ids {
    fn next(&mut self) -> i64 {
        self.0 += 1;
        self.0
    }
}

/// How a started project behaves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scenario {
    OnTrack,
    Behind,
    Stalled,
    LateReporter,
    MissingMonths,
    Inconsistent,
}

/// County number `index` (from 0) of the country generated from `seed`, ids from 1.
/// Panics when `index >= MAX_COUNTIES`.
pub fn county(index: u32, seed: u64) -> CountyDataset {
    let code = division_code(index);
    let mut rng = Rng::new(seed, index);
    let mut ids = Ids(0);
    let (_, province, plon, plat) = PROVINCES[(index % PROVINCES.len() as u32) as usize];
    let i = index as usize;
    let name_stem = format!(
        "{}{}{}",
        SYLLABLE_A[i % 40],
        SYLLABLE_B[(i / 40) % 30],
        SYLLABLE_C[(i / 1200) % 8]
    );
    let name = format!("{name_stem}县");
    let city_digits = code_parts(index).1 as usize;
    let city = format!(
        "{}{}市",
        SYLLABLE_B[(city_digits * 7 + i % 31) % 30],
        SYLLABLE_A[(city_digits * 3 + i % 31) % 40]
    );
    let county_id = CountyId(ids.next());
    let primary_type = FunctionalType::ALL[i % 5];
    let secondary_type = rng
        .chance(0.4)
        .then(|| FunctionalType::ALL[(i + 1 + rng.below(4)) % 5]);
    let centre = (plon + rng.range(-2.0, 2.0), plat + rng.range(-1.5, 1.5));

    // Departments: 20 bureaus, then 8–14 townships (2–4 of them subdistricts).
    let mut departments = Vec::with_capacity(34);
    for (suffix, short) in BUREAUS {
        departments.push(Department {
            id: DepartmentId(ids.next()),
            county_id,
            name: format!("{name}{suffix}"),
            short_name: short.to_owned(),
            kind: if suffix.ends_with("公司") {
                DepartmentKind::Other
            } else {
                DepartmentKind::Bureau
            },
            aliases: Vec::new(),
            location: None,
        });
    }
    let bureau_ids: Vec<DepartmentId> = departments.iter().map(|d| d.id).collect();
    let bureau = |k: usize| bureau_ids[k];
    let township_count = rng.int(8, 14) as usize;
    let subdistricts = rng.int(2, 4) as usize;
    let (ha, hb) = (rng.below(40), rng.below(30));
    let mut townships: Vec<(DepartmentId, GeoPoint)> = Vec::with_capacity(township_count);
    for j in 0..township_count {
        let kind = if j < subdistricts {
            DepartmentKind::Subdistrict
        } else {
            DepartmentKind::Township
        };
        let short = format!(
            "{}{}{}",
            SYLLABLE_A[(ha + j * 7) % 40],
            SYLLABLE_B[(hb + j * 11) % 30],
            match kind {
                DepartmentKind::Subdistrict => "街道",
                _ if j % 5 == 4 => "乡",
                _ => "镇",
            }
        );
        let at = GeoPoint {
            lon: ((centre.0 + rng.range(-0.4, 0.4)) * 1000.0).round() / 1000.0,
            lat: ((centre.1 + rng.range(-0.3, 0.3)) * 1000.0).round() / 1000.0,
        };
        let id = DepartmentId(ids.next());
        townships.push((id, at));
        departments.push(Department {
            id,
            county_id,
            name: format!("{name}{short}"),
            short_name: short,
            kind,
            aliases: Vec::new(),
            location: Some(at),
        });
    }
    let seat = departments[BUREAUS.len()].short_name.clone();

    let population = vec![
        PopulationFigure {
            county_id,
            year: 2021,
            kind: PopulationKind::Registered,
            persons: rng.int(150_000, 900_000),
            source: "示例数据".into(),
        },
        PopulationFigure {
            county_id,
            year: 2024,
            kind: PopulationKind::Resident,
            persons: rng.int(120_000, 800_000),
            source: "示例数据".into(),
        },
    ];

    // The plan and its document tree: 第一章 general requirements, six chapters of tasks,
    // 第八章 safeguards.
    let plan_id = PlanId(ids.next());
    let short = name_stem
        .chars()
        .next()
        .map(String::from)
        .unwrap_or_default();
    let plan = Plan {
        id: plan_id,
        county_id,
        title: format!("{name}推进以县城为重要载体的城镇化建设工作方案"),
        issuing_body: format!("{name}人民政府办公室"),
        doc_number: format!("{short}政办发〔2022〕{}号", rng.int(3, 60)),
        issued_on: date(2022, rng.int(3, 11) as u32, rng.int(1, 28) as u32),
        period_start: 2022,
        period_end: 2025,
        outlook_year: Some(2030),
        status: PlanStatus::InForce,
        interpretation: None,
    };
    let mut nodes = Vec::with_capacity(40);
    let mut article_no = 0usize;
    let chapter = |nodes: &mut Vec<PlanNode>, ids: &mut Ids, no: usize, title: &str| {
        let id = PlanNodeId(ids.next());
        nodes.push(PlanNode {
            id,
            plan_id,
            parent: None,
            ordinal: no as i32,
            level: NodeLevel::Chapter,
            label: format!("第{}章", cn(no)),
            title: title.to_owned(),
            body: String::new(),
        });
        id
    };
    let mut article = |nodes: &mut Vec<PlanNode>,
                       ids: &mut Ids,
                       parent: PlanNodeId,
                       ordinal: usize,
                       title: &str| {
        article_no += 1;
        let id = PlanNodeId(ids.next());
        nodes.push(PlanNode {
            id,
            plan_id,
            parent: Some(parent),
            ordinal: ordinal as i32,
            level: NodeLevel::Article,
            label: format!("第{}条", cn(article_no)),
            title: title.to_owned(),
            body: String::new(),
        });
        id
    };
    let mut alignments = Vec::with_capacity(39);
    let mut align = |ids: &mut Ids, item: i32, node: Option<PlanNodeId>, status, reason: &str| {
        alignments.push(Alignment {
            id: AlignmentId(ids.next()),
            plan_id,
            national_item: item,
            node,
            status,
            reason: reason.to_owned(),
        });
    };
    let general = chapter(&mut nodes, &mut ids, 1, "总体要求");
    let guiding = article(&mut nodes, &mut ids, general, 1, "指导思想和工作要求");
    let targets = article(&mut nodes, &mut ids, general, 2, "功能定位和发展目标");
    align(&mut ids, 1, Some(guiding), AlignmentStatus::Covered, "");
    align(&mut ids, 2, Some(guiding), AlignmentStatus::Covered, "");
    align(&mut ids, 3, Some(targets), AlignmentStatus::Covered, "");
    for (k, t) in FunctionalType::ALL.iter().enumerate() {
        let item = 4 + k as i32;
        if *t == primary_type {
            align(&mut ids, item, Some(targets), AlignmentStatus::Covered, "");
        } else if Some(*t) == secondary_type {
            align(&mut ids, item, Some(targets), AlignmentStatus::Partial, "");
        } else {
            align(
                &mut ids,
                item,
                None,
                AlignmentStatus::NotApplicable,
                "本县不属于该功能类型县城",
            );
        }
    }

    let mut task_areas = Vec::with_capacity(6);
    let mut task_nodes: Vec<(TaskAreaId, PlanNodeId, &TaskDef)> = Vec::with_capacity(25);
    let mut aligned = [false; 40];
    for (a, (title, defs)) in AREAS.iter().enumerate() {
        let ch = chapter(&mut nodes, &mut ids, a + 2, title);
        let area_id = TaskAreaId(ids.next());
        task_areas.push(TaskArea {
            id: area_id,
            plan_id,
            ordinal: a as i32 + 1,
            title: (*title).to_owned(),
            node: Some(ch),
        });
        for (k, def) in defs.iter().enumerate() {
            let node = article(&mut nodes, &mut ids, ch, k + 1, def.title);
            for &item in def.items {
                // One task item in twelve is only partly covered.
                let status = if rng.chance(1.0 / 12.0) {
                    AlignmentStatus::Partial
                } else {
                    AlignmentStatus::Covered
                };
                align(&mut ids, item, Some(node), status, "");
                aligned[item as usize] = true;
            }
            for &item in def.partial {
                if !aligned[item as usize] {
                    align(&mut ids, item, Some(node), AlignmentStatus::Partial, "");
                    aligned[item as usize] = true;
                }
            }
            task_nodes.push((area_id, node, def));
        }
    }
    for (item, done) in aligned.iter().enumerate().take(37).skip(9) {
        if !done {
            align(
                &mut ids,
                item as i32,
                None,
                AlignmentStatus::Omitted,
                "已纳入县级专项规划统筹安排，本方案不再单列",
            );
        }
    }
    let safeguard_chapter = chapter(&mut nodes, &mut ids, 8, "保障措施");
    let safeguard_defs: [(&str, &str, Option<usize>, &[usize]); 3] = [
        (
            "加强组织领导",
            "成立县城城镇化建设工作领导小组，统筹推进方案实施。",
            Some(FAGAI),
            &[ZHUJIAN, CAIZHENG],
        ),
        (
            "强化要素保障",
            "统筹财政、金融和用地要素，优先保障重点项目。",
            Some(CAIZHENG),
            &[ZIRAN, FAGAI],
        ),
        (
            "健全推进机制",
            "实行项目清单化管理和月调度、季通报。",
            Some(FAGAI),
            &[TONGJI],
        ),
    ];
    let mut safeguards = Vec::with_capacity(3);
    for (k, (title, description, lead, co)) in safeguard_defs.iter().enumerate() {
        let node = article(&mut nodes, &mut ids, safeguard_chapter, k + 1, title);
        match k {
            0 => align(&mut ids, 37, Some(node), AlignmentStatus::Covered, ""),
            2 => align(&mut ids, 38, Some(node), AlignmentStatus::Partial, ""),
            _ => {}
        }
        safeguards.push(Safeguard {
            id: SafeguardId(ids.next()),
            plan_id,
            ordinal: k as i32 + 1,
            title: (*title).to_owned(),
            description: (*description).to_owned(),
            node: Some(node),
            lead: lead.map(bureau),
            co: co.iter().map(|&b| bureau(b)).collect(),
        });
    }
    align(
        &mut ids,
        39,
        None,
        AlignmentStatus::Omitted,
        "本县暂未列入试点示范，待申报后补充",
    );

    let positioning = vec![
        PositioningElement {
            id: PositioningId(ids.next()),
            plan_id,
            kind: PositioningKind::StartingPoint,
            ordinal: 1,
            text: format!("立足{}的功能定位", primary_type.label_zh()),
        },
        PositioningElement {
            id: PositioningId(ids.next()),
            plan_id,
            kind: PositioningKind::TargetIdentity,
            ordinal: 1,
            text: format!("建设宜居宜业的{name}城"),
        },
    ];
    let goals = vec![
        Goal {
            id: GoalId(ids.next()),
            plan_id,
            ordinal: 1,
            year: Some(2025),
            text: "县城短板弱项进一步补齐补强，公共设施和公共服务水平明显提升。".into(),
        },
        Goal {
            id: GoalId(ids.next()),
            plan_id,
            ordinal: 2,
            year: Some(2030),
            text: "县城承载能力和辐射带动作用显著增强。".into(),
        },
    ];

    // Indicators: a baseline in 2020, a 2025 target, actuals 2021–2025; most on track, some
    // slow, a few falling back.
    let mut indicators = Vec::with_capacity(INDICATORS.len());
    for (code, iname, unit, direction, decimals, theme, source, base, target) in INDICATORS {
        let scale = rng.range(0.9, 1.1);
        let (base, target) = (base * scale, target * scale);
        let pace = match rng.below(10) {
            0 => -0.3,
            1 | 2 => 0.3,
            _ => rng.range(0.85, 1.15),
        };
        let round = |v: f64| {
            let f = 10f64.powi(i32::from(decimals));
            (v * f).round() / f
        };
        let actuals = (2021..=2025)
            .map(|year| YearValue {
                year,
                value: round(
                    base + (target - base) * pace * f64::from(year - 2020) / 5.0
                        * rng.range(0.95, 1.05),
                ),
            })
            .collect();
        indicators.push(Indicator {
            id: IndicatorId(ids.next()),
            county_id,
            plan_id,
            code: code.to_owned(),
            name: iname.to_owned(),
            unit: unit.to_owned(),
            direction,
            decimals,
            theme: theme.to_owned(),
            source_department: Some(bureau(source)),
            baseline: Some(YearValue {
                year: 2020,
                value: round(base),
            }),
            targets: vec![YearValue {
                year: 2025,
                value: round(target),
            }],
            actuals,
        });
    }

    let categories: Vec<Category> = CATEGORIES
        .iter()
        .enumerate()
        .map(|(k, (ccode, cname, areas, _, _))| Category {
            id: CategoryId(ids.next()),
            county_id,
            ordinal: k as i32 + 1,
            code: (*ccode).to_owned(),
            name: (*cname).to_owned(),
            ndrc_areas: areas.iter().map(|a| (*a).to_owned()).collect(),
        })
        .collect();

    // Projects: one in each category, the rest spread at random.
    let mut projects = Vec::with_capacity(PROJECTS_PER_COUNTY);
    let mut scenarios = Vec::with_capacity(PROJECTS_PER_COUNTY);
    let mut project_categories = Vec::with_capacity(PROJECTS_PER_COUNTY);
    for k in 0..PROJECTS_PER_COUNTY {
        let cat = if k < CATEGORIES.len() {
            k
        } else {
            rng.below(CATEGORIES.len())
        };
        let (p, scenario) = project(
            &mut rng,
            &mut ids,
            ProjectContext {
                county_id,
                code,
                name: &name,
                index_in_county: k,
                category: (categories[cat].id, cat),
                lead: bureau(CATEGORIES[cat].3),
                townships: &townships,
                township_names: &departments[BUREAUS.len()..],
                fagai: bureau(FAGAI),
                caizheng: bureau(CAIZHENG),
            },
        );
        projects.push(p);
        scenarios.push(scenario);
        project_categories.push(cat);
    }

    // Tasks, linked to the projects of their categories (a project of a category that two
    // tasks share goes to one of them, and to both one time in four).
    let mut tasks = Vec::with_capacity(25);
    let mut task_projects: Vec<Vec<ProjectId>> = vec![Vec::new(); task_nodes.len()];
    for (k, (p, &cat)) in projects.iter().zip(&project_categories).enumerate() {
        let owners: Vec<usize> = task_nodes
            .iter()
            .enumerate()
            .filter(|(_, (_, _, d))| d.categories.contains(&cat))
            .map(|(t, _)| t)
            .collect();
        if owners.is_empty() {
            continue;
        }
        let first = owners[(k + rng.below(2)) % owners.len()];
        task_projects[first].push(p.id);
        if owners.len() > 1 && rng.chance(0.25) {
            for &t in &owners {
                if t != first {
                    task_projects[t].push(p.id);
                }
            }
        }
    }
    let mut task_reports = Vec::new();
    let mut ordinal_in_area = 0i32;
    let mut last_area = None;
    for ((area_id, node, def), linked) in task_nodes.iter().zip(task_projects) {
        if last_area != Some(*area_id) {
            ordinal_in_area = 0;
            last_area = Some(*area_id);
        }
        ordinal_in_area += 1;
        let lead_k = match def.categories.first() {
            Some(&c) => CATEGORIES[c].3,
            None => [FAGAI, CAIZHENG, ZIRAN, FAGAI][ordinal_in_area as usize % 4],
        };
        let mut co = Vec::with_capacity(2);
        for b in [FAGAI, CAIZHENG, ZIRAN] {
            if b != lead_k && co.len() < 2 && rng.chance(0.6) {
                co.push(bureau(b));
            }
        }
        let milestone_count = rng.int(1, 3);
        let milestones = (0..milestone_count)
            .map(|m| {
                let due_month = from_mi(mi(ym(2022, 6)) + rng.int(0, 48) as i32);
                let due = due_month.last_day();
                let overdue_risk = due_month <= last_period();
                let done = (overdue_risk && rng.chance(0.85))
                    .then(|| {
                        let d = from_mi(mi(due_month) - rng.int(0, 2) as i32);
                        date(d.year(), d.month(), rng.int(1, 28) as u32)
                    })
                    .flatten();
                Milestone {
                    id: MilestoneId(ids.next()),
                    ordinal: m as i32 + 1,
                    title: format!("{}阶段性目标{}", def.title, cn(m as usize + 1)),
                    due,
                    done,
                }
            })
            .collect();
        let entered = def.mode == ProgressMode::Entered;
        let final_bp = rng.int(3_000, 9_500);
        let task_id = TaskId(ids.next());
        if entered {
            // Quarterly reports with entered progress; one in twenty-five never filed.
            let quarters: Vec<YearMonth> = ym(2022, 3)
                .through(last_period())
                .filter(|m| m.month() % 3 == 0)
                .collect();
            let count = quarters.len() as i64;
            for (q, month) in quarters.iter().enumerate() {
                if rng.below(25) == 0 {
                    continue;
                }
                let next = month.next();
                let submitted_on = date(next.year(), next.month(), rng.int(3, 12) as u32);
                let latest = *month == last_period();
                task_reports.push(TaskReport {
                    id: TaskReportId(ids.next()),
                    task_id,
                    period: *month,
                    progress: Percent::from_basis_points(final_bp * (q as i64 + 1) / count),
                    narrative: String::new(),
                    problems: String::new(),
                    next_steps: String::new(),
                    status: if latest {
                        ReportStatus::Submitted
                    } else {
                        ReportStatus::Approved
                    },
                    submitted_on,
                    approved_on: (!latest)
                        .then(|| submitted_on.and_then(|d| date(d.year(), d.month(), d.day() + 3)))
                        .flatten(),
                    submitted_by: None,
                    approved_by: None,
                    return_reason: String::new(),
                });
            }
        }
        tasks.push(Task {
            id: task_id,
            area_id: *area_id,
            county_id,
            ordinal: ordinal_in_area,
            title: def.title.to_owned(),
            description: String::new(),
            lead: bureau(lead_k),
            co,
            status: match rng.below(10) {
                0 => TaskStatus::Delayed,
                1 => TaskStatus::Completed,
                _ => TaskStatus::InProgress,
            },
            progress_mode: def.mode,
            entered_progress: entered
                .then(|| Percent::from_basis_points(final_bp))
                .flatten(),
            cadence: if entered {
                Cadence::Quarterly
            } else {
                Cadence::Monthly
            },
            node: Some(*node),
            national_items: {
                let mut items: Vec<i32> = alignments
                    .iter()
                    .filter(|a| a.node == Some(*node))
                    .map(|a| a.national_item)
                    .collect();
                items.sort_unstable();
                items.dedup();
                items
            },
            projects: linked,
            indicators: def.indicators.iter().map(|&k| indicators[k].id).collect(),
            milestones,
        });
    }

    let expected: usize = projects
        .iter()
        .filter_map(|p| p.actual_start)
        .map(|s| mi(last_period()) - mi(s.max(ym(FIRST_PERIOD.0, FIRST_PERIOD.1))) + 1)
        .map(|n| n.max(0) as usize)
        .sum();
    let mut project_reports = Vec::with_capacity(expected);
    for (p, scenario) in projects.iter().zip(&scenarios) {
        reports_for(&mut rng, &mut ids, p, *scenario, &mut project_reports);
    }
    project_reports.shrink_to_fit();

    CountyDataset {
        county: County {
            id: county_id,
            division_code: code,
            name,
            name_en: format!("Synthetic County {code}"),
            province: province.to_owned(),
            city,
            seat,
            primary_type,
            secondary_type,
            area_km2: Some((rng.range(600.0, 5_000.0)).round()),
            illustrative: true,
        },
        population,
        departments,
        plans: vec![plan],
        nodes,
        alignments,
        positioning,
        goals,
        indicators,
        task_areas,
        tasks,
        safeguards,
        categories,
        projects,
        project_reports,
        task_reports,
    }
}

struct ProjectContext<'a> {
    county_id: CountyId,
    code: DivisionCode,
    name: &'a str,
    index_in_county: usize,
    /// The category's id and its index in [`CATEGORIES`].
    category: (CategoryId, usize),
    lead: DepartmentId,
    townships: &'a [(DepartmentId, GeoPoint)],
    township_names: &'a [Department],
    fagai: DepartmentId,
    caizheng: DepartmentId,
}

fn project(rng: &mut Rng, ids: &mut Ids, c: ProjectContext<'_>) -> (Project, Scenario) {
    let id = ProjectId(ids.next());
    let (category, cat) = c.category;
    let (_, _, _, _, stems) = CATEGORIES[cat];
    let township = rng
        .chance(0.8)
        .then(|| c.townships[rng.below(c.townships.len())]);
    let place = township
        .and_then(|(t, _)| c.township_names.iter().find(|d| d.id == t))
        .map(|d| d.short_name.as_str())
        .unwrap_or("县城");
    let stem = stems[rng.below(2)];
    let verb = ["建设", "改造", "提升", "扩建"][rng.below(4)];
    let name = format!("{place}{stem}{verb}项目");
    let wan = (8.3 + 1.0 * rng.normal()).exp().clamp(300.0, 150_000.0);
    let total_wan = ((wan / 10.0).round() as i64).max(30) * 10;
    let total = Money::from_wan(total_wan);
    let funding_nature = match cat {
        14 | 15 | 16 | 11 => {
            if rng.chance(0.6) {
                FundingNature::Commercial
            } else {
                FundingNature::QuasiPublic
            }
        }
        6 | 7 | 9 | 10 | 12 => FundingNature::QuasiPublic,
        _ => FundingNature::PublicInterest,
    };

    // Stage and calendar.
    let last = mi(last_period());
    let u = rng.unit();
    let stage = match u {
        _ if u < 0.02 => Stage::Conceived,
        _ if u < 0.04 => Stage::Reserved,
        _ if u < 0.07 => Stage::Preparing,
        _ if u < 0.09 => Stage::Ready,
        _ if u < 0.10 => Stage::Cancelled,
        _ if u < 0.12 => Stage::Suspended,
        _ if u < 0.25 => Stage::Completed,
        _ if u < 0.30 => Stage::Operating,
        _ => Stage::UnderConstruction,
    };
    let started = stage.has_started() || stage == Stage::Suspended;
    let duration = rng.int(24, 60) as i32;
    let (planned_start, actual_start) = if started {
        // Two in three are continuing projects begun before the reporting started.
        let start = if rng.chance(0.67) {
            mi(ym(2018, 1)) + rng.int(0, 35) as i32
        } else {
            mi(ym(2021, 1)) + rng.int(0, 35) as i32
        };
        let slip = if rng.chance(0.3) {
            rng.int(1, 8) as i32
        } else {
            0
        };
        (start - slip, Some(start))
    } else if stage == Stage::Ready && rng.chance(0.5) {
        // Ready, and already behind its planned start.
        (last - rng.int(1, 6) as i32, None)
    } else {
        (last + rng.int(1, 18) as i32, None)
    };
    let planned_finish = planned_start + duration - 1;
    let actual_finish = match (stage, actual_start) {
        // At least a year of construction, finished before the last month.
        (Stage::Completed | Stage::Operating, Some(s)) => Some(
            (planned_finish + rng.int(-2, 8) as i32)
                .max(s + 11)
                .min(last - 1),
        ),
        _ => None,
    };

    // Annual plan: the total spread over the planned months, in whole 万元.
    let mut annual_plan = Vec::with_capacity(6);
    let (py0, py1) = (
        from_mi(planned_start).year(),
        from_mi(planned_finish).year(),
    );
    let mut remaining = total_wan;
    for year in py0..=py1 {
        let first = planned_start.max(mi(ym(year, 1)));
        let lastm = planned_finish.min(mi(ym(year, 12)));
        let months = i64::from(lastm - first + 1);
        let amount = if year == py1 {
            remaining
        } else {
            (total_wan * months / i64::from(duration)).min(remaining)
        };
        remaining -= amount;
        annual_plan.push(AnnualInvestment {
            year,
            amount: Money::from_wan(amount),
        });
    }

    // Funding lines by funding nature, in whole 万元, adding up to the total.
    let channels: &[FundingChannel] = match funding_nature {
        FundingNature::PublicInterest => &[
            FundingChannel::CentralBudget,
            FundingChannel::SpecialBond,
            FundingChannel::LocalFiscal,
            FundingChannel::UltraLongBond,
        ],
        FundingNature::QuasiPublic => &[
            FundingChannel::SpecialBond,
            FundingChannel::PolicyBankLoan,
            FundingChannel::LocalFiscal,
            FundingChannel::PolicyFinanceTool,
        ],
        FundingNature::Commercial => &[
            FundingChannel::EnterpriseOwn,
            FundingChannel::CommercialLoan,
            FundingChannel::Concession,
            FundingChannel::EnterpriseBond,
        ],
    };
    let lines = rng.int(1, 3) as usize;
    let first_channel = rng.below(channels.len());
    let mut funding = Vec::with_capacity(lines);
    let mut left = total_wan;
    for l in 0..lines {
        let planned = if l + 1 == lines {
            left
        } else {
            (left as f64 * rng.range(0.3, 0.7)).round() as i64
        };
        left -= planned;
        let channel = channels[(first_channel + l) % channels.len()];
        let (approved, arrived, status) = if started {
            let arrived = (planned as f64 * rng.range(0.4, 1.0)).round() as i64;
            let status = if arrived == planned {
                FundingStatus::Closed
            } else {
                FundingStatus::Arriving
            };
            (planned, arrived, status)
        } else if rng.chance(0.5) {
            (0, 0, FundingStatus::Applying)
        } else {
            (0, 0, FundingStatus::Planned)
        };
        funding.push(FundingLine {
            id: FundingLineId(ids.next()),
            channel,
            programme: channel.label_zh().to_owned(),
            planned: Money::from_wan(planned),
            approved: Money::from_wan(approved),
            arrived: Money::from_wan(arrived),
            status,
            doc_number: String::new(),
        });
    }

    // Permits: the approvals before construction; one started project in fifty lacks its
    // construction permit, one in twenty has a planning permit running out around the end
    // of the reporting window.
    let mut permits = Vec::with_capacity(6);
    let mut permit = |ids: &mut Ids, kind, status, issued: Option<i32>, valid: Option<Date>| {
        permits.push(Permit {
            id: PermitId(ids.next()),
            kind,
            status,
            doc_number: String::new(),
            issued_on: issued
                .map(from_mi)
                .and_then(|m| date(m.year(), m.month(), 15)),
            valid_until: valid,
            issuer: String::new(),
        });
    };
    let before = actual_start.unwrap_or(planned_start);
    if started {
        permit(
            ids,
            PermitKind::ProjectProposal,
            PermitStatus::Obtained,
            Some(before - 10),
            None,
        );
        permit(
            ids,
            PermitKind::Feasibility,
            PermitStatus::Obtained,
            Some(before - 6),
            None,
        );
        permit(
            ids,
            PermitKind::LandSite,
            PermitStatus::Obtained,
            Some(before - 8),
            None,
        );
        if rng.chance(0.05) {
            let until = from_mi(last + rng.int(-3, 2) as i32);
            permit(
                ids,
                PermitKind::EngineeringPlanning,
                PermitStatus::Obtained,
                Some(before - 3),
                date(until.year(), until.month(), 20),
            );
        }
        let construction = if rng.chance(0.02) {
            PermitStatus::InProgress
        } else {
            PermitStatus::Obtained
        };
        permit(
            ids,
            PermitKind::ConstructionPermit,
            construction,
            (construction == PermitStatus::Obtained).then_some(before - 1),
            None,
        );
        if let Some(f) = actual_finish {
            permit(
                ids,
                PermitKind::CompletionAcceptance,
                if rng.chance(0.7) {
                    PermitStatus::Obtained
                } else {
                    PermitStatus::Pending
                },
                Some(f + 1).filter(|m| *m <= last),
                None,
            );
        }
    } else if stage != Stage::Cancelled {
        permit(
            ids,
            PermitKind::ProjectProposal,
            if stage == Stage::Conceived {
                PermitStatus::Pending
            } else {
                PermitStatus::Obtained
            },
            (stage != Stage::Conceived).then_some(last - 6),
            None,
        );
        permit(
            ids,
            PermitKind::Feasibility,
            PermitStatus::InProgress,
            None,
            None,
        );
    }

    let mut risks = Vec::new();
    let risk_count = match rng.below(20) {
        0 => 2,
        1..=5 => 1,
        _ => 0,
    };
    for _ in 0..risk_count {
        let category = [
            RiskCategory::Funding,
            RiskCategory::LandAndDemolition,
            RiskCategory::Construction,
            RiskCategory::Permit,
        ][rng.below(4)];
        risks.push(Risk {
            id: RiskId(ids.next()),
            category,
            description: format!("{}风险", category.label_zh()),
            likelihood: rng.int(1, 5) as u8,
            impact: rng.int(1, 5) as u8,
            owner: Some(if category == RiskCategory::Funding {
                c.caizheng
            } else {
                c.lead
            }),
            mitigation: String::new(),
            status: if rng.chance(0.5) {
                RiskStatus::Open
            } else {
                RiskStatus::Mitigating
            },
        });
    }

    let national_code = actual_start.filter(|_| rng.chance(0.7)).and_then(|s| {
        let m = from_mi(s - 12);
        ProjectCode::parse(
            "national_code",
            &format!(
                "{:02}{:02}-{}-{:02}-{:02}-{:05}{}",
                m.year() % 100,
                m.month(),
                c.code,
                rng.int(1, 9),
                rng.int(1, 3),
                rng.int(0, 99_999),
                rng.int(0, 9)
            ),
        )
        .ok()
    });

    let scenario = match rng.below(100) {
        0..=69 => Scenario::OnTrack,
        70..=84 => Scenario::Behind,
        85..=88 => Scenario::Stalled,
        89..=93 => Scenario::LateReporter,
        94..=97 => Scenario::MissingMonths,
        _ => Scenario::Inconsistent,
    };
    let location = township.map(|(_, at)| GeoPoint {
        lon: ((at.lon + rng.range(-0.02, 0.02)) * 10_000.0).round() / 10_000.0,
        lat: ((at.lat + rng.range(-0.02, 0.02)) * 10_000.0).round() / 10_000.0,
    });
    let p = Project {
        id,
        county_id: c.county_id,
        internal_code: format!("{}-{:03}", c.code, c.index_in_county + 1),
        national_code,
        name,
        category,
        township: township.map(|(t, _)| t),
        location,
        address: format!("{}{place}", c.name),
        content: String::new(),
        nature: [
            ConstructionNature::New,
            ConstructionNature::New,
            ConstructionNature::Expansion,
            ConstructionNature::Renovation,
        ][rng.below(4)],
        lead: c.lead,
        owner: String::new(),
        competent: Some(if rng.chance(0.8) { c.lead } else { c.fagai }),
        total_investment: total,
        funding_nature,
        stage,
        planned_start: Some(from_mi(planned_start)),
        planned_finish: Some(from_mi(planned_finish)),
        actual_start: actual_start.map(from_mi),
        actual_finish: actual_finish.map(from_mi),
        competent_opinion: String::new(),
        feasibility_score: rng.chance(0.6).then(|| rng.int(2, 5) as u8),
        feasibility_note: String::new(),
        annual_plan,
        funding,
        permits,
        risks,
    };
    (p, scenario)
}

/// Monthly reports of a started project from 2021-01 (or its start) to 2025-12 (or its
/// finish, or its suspension).
fn reports_for(
    rng: &mut Rng,
    ids: &mut Ids,
    p: &Project,
    scenario: Scenario,
    out: &mut Vec<ProjectReport>,
) {
    let (Some(start), Some(pstart), Some(pfinish)) =
        (p.actual_start, p.planned_start, p.planned_finish)
    else {
        return;
    };
    let start = mi(start);
    let last = mi(last_period());
    let first = start.max(mi(ym(FIRST_PERIOD.0, FIRST_PERIOD.1)));
    let end = match (p.stage, p.actual_finish) {
        (_, Some(f)) => mi(f),
        (Stage::Suspended, _) => last - rng.int(1, 18) as i32,
        _ => last,
    }
    .min(last);
    if end < first {
        return;
    }
    let planned_months = f64::from((mi(pfinish) - mi(pstart) + 1).max(1));
    let total = p.total_investment.yuan() as f64;
    let finished = p.actual_finish.is_some();
    let pace = if finished {
        planned_months / f64::from(end - start + 1)
    } else {
        match scenario {
            Scenario::Behind => rng.range(0.5, 0.8),
            Scenario::Stalled => rng.range(0.7, 0.9),
            _ => rng.range(0.9, 1.06),
        }
    };
    // An unfinished project slows down as it nears the end instead of stopping: the
    // share done tends to 98 % (only stalled projects stand still).
    let fraction = |m: i32, noise: f64| {
        let raw = ((f64::from(m - start + 1) / planned_months) * pace * noise).max(0.0);
        if finished {
            raw.min(1.0)
        } else if raw <= 0.85 {
            raw
        } else {
            0.85 + 0.13 * (1.0 - (-(raw - 0.85) / 0.13).exp())
        }
    };
    let bias = rng.range(0.95, 1.05);
    let span = (end - first + 1) as usize;
    let stalled_from = if scenario == Scenario::Stalled && span > 8 {
        end - rng.int(3, 8) as i32
    } else {
        i32::MAX
    };
    let missing: [i32; 3] = if scenario == Scenario::MissingMonths && span > 6 {
        let a = first + rng.int(1, (span - 2) as i64) as i32;
        let b = if rng.chance(0.5) { a + 1 } else { -1 };
        let c = if rng.chance(0.4) { end } else { -1 };
        [a, b, c]
    } else {
        [-1; 3]
    };
    let inconsistent_at = if scenario == Scenario::Inconsistent && span > 4 {
        end - rng.int(1, 3) as i32
    } else {
        -1
    };
    let round100 = |v: f64| ((v / 100.0).round() as i64).max(0) * 100;
    let mut prev_cum = if first > start {
        round100(total * fraction(first - 1, 1.0))
    } else {
        0
    };
    let mut prev_bp = ((prev_cum as f64 / total.max(1.0)) * 10_000.0 * bias)
        .round()
        .clamp(0.0, 9_900.0) as i64;
    for m in first..=end {
        let month = from_mi(m);
        let frozen = m > stalled_from;
        let mut cumulative = if frozen {
            prev_cum
        } else if finished && m == end {
            p.total_investment.yuan()
        } else {
            round100(total * fraction(m, rng.range(0.97, 1.03))).max(prev_cum)
        };
        let mut bp = if finished && m == end {
            10_000
        } else if frozen {
            prev_bp
        } else {
            ((cumulative as f64 / total.max(1.0)) * 10_000.0 * bias)
                .round()
                .clamp(prev_bp as f64, 9_900.0) as i64
        };
        bp = bp.clamp(prev_bp, 10_000);
        let mut month_investment = cumulative - prev_cum;
        let fell = m == inconsistent_at;
        if fell {
            cumulative = round100(prev_cum as f64 * rng.range(0.9, 0.95));
            month_investment = 0;
        }
        let next = month.next();
        let late = scenario == Scenario::LateReporter && rng.below(3) == 0;
        let day = if late { rng.int(11, 25) } else { rng.int(3, 9) } as u32;
        let submitted = date(next.year(), next.month(), day);
        let status = if m < last {
            ReportStatus::Approved
        } else {
            match rng.below(100) {
                0..=79 => ReportStatus::Approved,
                80..=91 => ReportStatus::Submitted,
                92..=96 => ReportStatus::Returned,
                _ => ReportStatus::Draft,
            }
        };
        if missing.contains(&m) {
            prev_cum = cumulative;
            prev_bp = bp;
            continue;
        }
        let percent = Percent::from_basis_points(bp).unwrap_or(Percent::ZERO);
        let recent = end - m < 3;
        out.push(ProjectReport {
            id: ProjectReportId(ids.next()),
            project_id: p.id,
            period: month,
            investment_month: Money::from_yuan(month_investment.max(0)),
            investment_cumulative: Money::from_yuan(cumulative),
            progress: percent,
            narrative: if recent {
                format!(
                    "{}，形象进度约{percent}。",
                    STAGE_WORDS[((bp / 2_001) as usize).min(4)]
                )
            } else {
                String::new()
            },
            problems: if recent && (frozen || scenario == Scenario::Behind) {
                "资金到位滞后，施工进度慢于计划。".into()
            } else {
                String::new()
            },
            next_steps: String::new(),
            status,
            submitted_on: (status != ReportStatus::Draft)
                .then_some(submitted)
                .flatten(),
            approved_on: (status == ReportStatus::Approved)
                .then(|| submitted.and_then(|d| date(d.year(), d.month(), d.day() + 2)))
                .flatten(),
            submitted_by: None,
            approved_by: None,
            return_reason: if status == ReportStatus::Returned {
                "累计投资与支出凭证不一致，请核实后重新提交。".into()
            } else {
                String::new()
            },
        });
        if !fell {
            prev_cum = cumulative;
        }
        prev_bp = bp;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use xiancheng_core::analysis::warnings::{self, Rule, WarningConfig};

    fn items() -> Vec<i32> {
        (1..=39).collect()
    }

    #[test]
    fn counties_validate_and_have_the_documented_shape() {
        for index in [0, 1, 2, 3, 4, 30, 31, 777, 2_799, 42_779, MAX_COUNTIES - 1] {
            let ds = county(index, 1);
            ds.validate(&items())
                .unwrap_or_else(|e| panic!("county {index}: {e}"));
            assert!(ds.county.illustrative);
            assert_eq!(ds.id_range().0, 1);
            assert_eq!(ds.projects.len(), PROJECTS_PER_COUNTY);
            assert_eq!(ds.categories.len(), 19);
            assert_eq!(ds.task_areas.len(), 6);
            assert_eq!(ds.tasks.len(), 25);
            let used: HashSet<_> = ds.projects.iter().map(|p| p.category).collect();
            assert_eq!(used.len(), 19, "every category has a project");
            assert!(
                ds.project_reports.len() > 1_500,
                "{}",
                ds.project_reports.len()
            );
            assert!(
                ds.project_reports
                    .iter()
                    .all(|r| (ym(2021, 1)..=last_period()).contains(&r.period))
            );
            let mut alignments: Vec<i32> = ds.alignments.iter().map(|a| a.national_item).collect();
            alignments.sort_unstable();
            assert_eq!(alignments, items(), "each national item aligned once");
            for p in &ds.projects {
                let plan: Money = p.annual_plan.iter().map(|a| a.amount).sum();
                assert_eq!(plan, p.total_investment, "{}", p.internal_code);
                let funded: Money = p.funding.iter().map(|f| f.planned).sum();
                assert_eq!(funded, p.total_investment, "{}", p.internal_code);
            }
        }
    }

    #[test]
    fn generation_is_deterministic_and_the_seed_matters() {
        assert_eq!(county(17, 7), county(17, 7));
        assert_ne!(county(17, 7).project_reports, county(17, 8).project_reports);
    }

    #[test]
    fn division_codes_are_unique_valid_and_never_panshan() {
        let mut seen = HashSet::new();
        for index in (0..MAX_COUNTIES).step_by(7).chain(0..5_000) {
            let code = division_code(index);
            assert_eq!(code.level(), xiancheng_core::codes::DivisionLevel::County);
            assert_ne!(code.to_string(), "211122");
            seen.insert((index, code));
        }
        let codes: HashSet<_> = seen.iter().map(|(_, c)| *c).collect();
        let indices: HashSet<_> = seen.iter().map(|(i, _)| *i).collect();
        assert_eq!(codes.len(), indices.len());
        assert_eq!(division_code(0).to_string(), "110131");
    }

    #[test]
    fn all_five_functional_types_appear() {
        let types: HashSet<_> = (0..5).map(|i| county(i, 1).county.primary_type).collect();
        assert_eq!(types.len(), 5);
    }

    #[test]
    fn the_mess_a_dispatch_office_meets_is_there() {
        let config = WarningConfig::default();
        let mut rules = HashSet::new();
        for index in 0..12 {
            let ds = county(index, 1);
            for w in warnings::evaluate(&ds, last_period(), &config) {
                rules.insert(w.rule);
            }
        }
        for rule in [
            Rule::BehindSchedule,
            Rule::InvestmentBehindPlan,
            Rule::ReportMissing,
            Rule::ReportLate,
            Rule::MilestoneOverdue,
            Rule::StagePermitMismatch,
            Rule::InconsistentFigures,
            Rule::Stalled,
            Rule::IndicatorOffTrack,
        ] {
            assert!(rules.contains(&rule), "{rule:?} never fires");
        }
    }
}
