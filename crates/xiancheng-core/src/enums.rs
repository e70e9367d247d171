//! Closed vocabularies of the domain. Each value has a stable code (stored, used in URLs and
//! JSON), a Chinese label (shown first) and an English label.
//!
//! Vocabularies that policy may change (functional types per province, national items,
//! funding rules, thresholds) are data, not enums; these are the ones the domain fixes.

use crate::error::ValidationError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident, $what_zh:literal, $what_en:literal { $($variant:ident = $code:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),* }
            }

            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),* }
            }

            /// Accepts the code or the Chinese label.
            pub fn parse(field: &str, input: &str) -> Result<Self, ValidationError> {
                let s = input.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == s || v.label_zh() == s)
                    .ok_or_else(|| {
                        let zh: Vec<String> = Self::ALL.iter().map(|v| format!("{}（{}）", v.label_zh(), v.code())).collect();
                        let en: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                        ValidationError::new(field, input, format!("{}之一：{}", $what_zh, zh.join("、")), format!("one of the {}: {}", $what_en, en.join(", ")))
                    })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(stringify!($name), &s).map_err(serde::de::Error::custom)
            }
        }
    };
}

code_enum! {
    /// The five functional types of county town in the national Opinions (part 二).
    FunctionalType, "县城功能类型", "functional types" {
        MetroPeripheral = "metro_peripheral", "大城市周边县城", "County town around a large city";
        SpecialisedFunction = "specialised_function", "专业功能县城", "Specialised-function county town";
        AgriProduction = "agri_production", "农产品主产区县城", "County town of a main agricultural area";
        EcologicalFunction = "ecological_function", "重点生态功能区县城", "County town of a key ecological area";
        PopulationShrinking = "population_shrinking", "人口流失县城", "Population-losing county town";
    }
}

code_enum! {
    /// Status of a plan document.
    PlanStatus, "方案状态", "plan statuses" {
        Draft = "draft", "草案", "Draft";
        InForce = "in_force", "实施中", "In force";
        Revised = "revised", "已修订", "Superseded by a revision";
        Expired = "expired", "已到期", "Expired";
    }
}

code_enum! {
    /// Level of a node in a plan's document tree.
    NodeLevel, "层级", "node levels" {
        Chapter = "chapter", "章", "Chapter";
        Section = "section", "节", "Section";
        Article = "article", "条", "Article";
        Part = "part", "部分", "Part";
        Item = "item", "项", "Item";
        Subitem = "subitem", "子项", "Sub-item";
        Point = "point", "点", "Point";
        Clause = "clause", "款", "Clause";
    }
}

code_enum! {
    /// How a plan treats one national item.
    AlignmentStatus, "对标状态", "alignment statuses" {
        Covered = "covered", "已覆盖", "Covered";
        Partial = "partial", "部分覆盖", "Partly covered";
        Omitted = "omitted", "有意未编制", "Deliberately omitted";
        NotApplicable = "not_applicable", "不适用", "Not applicable";
        Unmapped = "unmapped", "未对标", "Not yet reviewed";
    }
}

code_enum! {
    /// Role of a national item (DOMAIN §2.3).
    ItemRole, "条目作用", "item roles" {
        Framing = "framing", "总体框架", "Framing";
        Positioning = "positioning", "功能定位", "Positioning";
        Task = "task", "具体任务", "Task";
        Organisation = "organisation", "组织实施", "Organisation";
    }
}

code_enum! {
    /// Whether a fact of the reference data has been checked against the official text.
    Verification, "核实状态", "verification statuses" {
        Confirmed = "confirmed", "已核实", "Confirmed";
        Unverified = "unverified", "未核实", "Unverified";
        Uncertain = "uncertain", "存疑", "Uncertain";
    }
}

code_enum! {
    /// Kind of positioning element of a plan (Panshan: 两个提升, 三个统筹, 四大领域 …).
    PositioningKind, "定位要素类别", "positioning kinds" {
        StartingPoint = "starting_point", "立足点", "Starting point";
        TwoRaisings = "two_raisings", "两个提升", "Two raisings";
        ThreeCoordinations = "three_coordinations", "三个统筹", "Three co-ordinations";
        FourFields = "four_fields", "四大领域", "Four major fields";
        GoalSystem = "goal_system", "目标体系", "System and model to build";
        TargetIdentity = "target_identity", "目标定位", "Target identity";
        ResidentOutcome = "resident_outcome", "群众获得感", "Residents' outcome";
        Other = "other", "其他", "Other";
    }
}

code_enum! {
    /// Kind of unit answerable for tasks and projects.
    DepartmentKind, "单位类别", "department kinds" {
        Bureau = "bureau", "县直部门", "County bureau";
        Township = "township", "乡镇", "Township";
        Subdistrict = "subdistrict", "街道", "Subdistrict";
        Other = "other", "其他单位", "Other unit";
    }
}

impl DepartmentKind {
    /// Townships and subdistricts are places as well as units: projects are located in them.
    pub fn is_township(self) -> bool {
        matches!(self, DepartmentKind::Township | DepartmentKind::Subdistrict)
    }
}

code_enum! {
    /// Which way an indicator should move.
    Direction, "指标方向", "directions" {
        Up = "up", "越大越好", "Higher is better";
        Down = "down", "越小越好", "Lower is better";
    }
}

code_enum! {
    /// Status of a key task.
    TaskStatus, "任务状态", "task statuses" {
        NotStarted = "not_started", "未启动", "Not started";
        InProgress = "in_progress", "推进中", "In progress";
        Completed = "completed", "已完成", "Completed";
        Delayed = "delayed", "滞后", "Delayed";
    }
}

code_enum! {
    /// How a task's progress is obtained.
    ProgressMode, "进度计算方式", "progress modes" {
        Entered = "entered", "填报", "Entered";
        Derived = "derived", "由关联项目推算", "Derived from linked projects";
        Excluded = "excluded", "不参与汇总", "Excluded from roll-up";
    }
}

code_enum! {
    /// How often a task or project reports.
    Cadence, "报送频次", "cadences" {
        Monthly = "monthly", "按月", "Monthly";
        Quarterly = "quarterly", "按季", "Quarterly";
    }
}

code_enum! {
    /// 建设性质.
    ConstructionNature, "建设性质", "construction natures" {
        New = "new", "新建", "New build";
        Expansion = "expansion", "扩建", "Extension";
        Renovation = "renovation", "改建", "Renovation";
        Relocation = "relocation", "迁建", "Relocation";
    }
}

code_enum! {
    /// 公益性 / 准公益性 / 经营性.
    FundingNature, "项目属性", "funding natures" {
        PublicInterest = "public_interest", "公益性", "Public-interest";
        QuasiPublic = "quasi_public", "准公益性", "Quasi-public";
        Commercial = "commercial", "经营性", "Commercial";
    }
}

code_enum! {
    /// Lifecycle stage of a project.
    Stage, "项目阶段", "stages" {
        Conceived = "conceived", "谋划", "Conceived";
        Reserved = "reserved", "储备", "In reserve";
        Preparing = "preparing", "前期", "Preparing";
        Ready = "ready", "待开工", "Ready to start";
        UnderConstruction = "under_construction", "在建", "Under construction";
        Completed = "completed", "竣工", "Completed";
        Operating = "operating", "运营", "Operating";
        Suspended = "suspended", "暂停", "Suspended";
        Cancelled = "cancelled", "取消", "Cancelled";
    }
}

impl Stage {
    /// Whether the project has started construction (and so reports investment monthly).
    pub fn has_started(self) -> bool {
        matches!(
            self,
            Stage::UnderConstruction | Stage::Completed | Stage::Operating
        )
    }
}

code_enum! {
    /// Funding channel of a funding plan line (DOMAIN §7).
    FundingChannel, "资金渠道", "funding channels" {
        CentralBudget = "central_budget", "中央预算内投资", "Central budget investment";
        SpecialBond = "special_bond", "地方政府专项债券", "Special-purpose bonds";
        PolicyFinanceTool = "policy_finance_tool", "政策性开发性金融工具", "Policy finance tools";
        UltraLongBond = "ultra_long_bond", "超长期特别国债", "Ultra-long special treasury bonds";
        EnterpriseBond = "enterprise_bond", "企业债券", "Enterprise bonds";
        Concession = "concession", "特许经营", "Concession";
        PolicyBankLoan = "policy_bank_loan", "政策性银行贷款", "Policy bank loans";
        CommercialLoan = "commercial_loan", "商业银行贷款", "Commercial loans";
        LocalFiscal = "local_fiscal", "地方财政资金", "Local fiscal funds";
        EnterpriseOwn = "enterprise_own", "企业自筹", "Enterprise own funds";
        Other = "other", "其他", "Other";
    }
}

code_enum! {
    /// Status of a funding line (one application to one channel).
    FundingStatus, "资金状态", "funding statuses" {
        Planned = "planned", "计划", "Planned";
        Applying = "applying", "申报中", "Applying";
        Approved = "approved", "已批复", "Approved";
        Rejected = "rejected", "未获批", "Rejected";
        Arriving = "arriving", "到位中", "Arriving";
        Closed = "closed", "已结清", "Closed";
    }
}

code_enum! {
    /// Kind of pre-construction approval (前期手续, DOMAIN §6.7).
    PermitKind, "手续类别", "permit kinds" {
        ProjectProposal = "project_proposal", "项目建议书批复", "Project proposal approval";
        LandSite = "land_site", "用地预审与选址意见书", "Land pre-review and site selection";
        EnergyReview = "energy_review", "节能审查意见", "Energy review";
        Eia = "eia", "环评批复", "Environmental impact approval";
        StabilityRisk = "stability_risk", "社会稳定风险评估", "Social stability risk assessment";
        Feasibility = "feasibility", "可行性研究报告批复", "Feasibility study approval";
        LandUsePlanning = "land_use_planning", "建设用地规划许可证", "Land-use planning permit";
        PreliminaryDesign = "preliminary_design", "初步设计及概算批复", "Preliminary design and estimate approval";
        EngineeringPlanning = "engineering_planning", "建设工程规划许可证", "Engineering planning permit";
        DrawingReview = "drawing_review", "施工图审查", "Construction drawing review";
        ConstructionPermit = "construction_permit", "施工许可证", "Construction permit";
        CompletionAcceptance = "completion_acceptance", "竣工验收", "Completion acceptance";
    }
}

code_enum! {
    /// Status of one permit.
    PermitStatus, "手续状态", "permit statuses" {
        NotNeeded = "not_needed", "无需办理", "Not needed";
        Pending = "pending", "未办理", "Pending";
        InProgress = "in_progress", "办理中", "In progress";
        Obtained = "obtained", "已取得", "Obtained";
        Expired = "expired", "已过期", "Expired";
    }
}

code_enum! {
    /// Category of a project risk (DOMAIN §6.8).
    RiskCategory, "风险类别", "risk categories" {
        Funding = "funding", "资金", "Funding";
        Permit = "permit", "手续", "Permits";
        LandAndDemolition = "land_and_demolition", "征地拆迁", "Land and demolition";
        Policy = "policy", "政策", "Policy";
        Debt = "debt", "债务", "Debt";
        Revenue = "revenue", "收益", "Revenue";
        Construction = "construction", "建设", "Construction";
        SocialStability = "social_stability", "社会稳定", "Social stability";
        Environment = "environment", "环境", "Environment";
        MarketDemand = "market_demand", "市场需求", "Market demand";
        Other = "other", "其他", "Other";
    }
}

code_enum! {
    /// Status of a risk.
    RiskStatus, "风险状态", "risk statuses" {
        Open = "open", "未处置", "Open";
        Mitigating = "mitigating", "处置中", "Mitigating";
        Closed = "closed", "已关闭", "Closed";
        Materialised = "materialised", "已发生", "Materialised";
    }
}

code_enum! {
    /// Life-cycle state of a progress report (the workflow comes with the dispatch).
    ReportStatus, "报告状态", "report statuses" {
        Draft = "draft", "草稿", "Draft";
        Submitted = "submitted", "已提交", "Submitted";
        Returned = "returned", "已退回", "Returned";
        Approved = "approved", "已审核", "Approved";
    }
}

code_enum! {
    /// Kind of population figure of a county.
    PopulationKind, "人口口径", "population kinds" {
        Registered = "registered", "户籍人口", "Registered population";
        Resident = "resident", "常住人口", "Resident population";
        TownResident = "town_resident", "县城常住人口", "County-town resident population";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_code_or_chinese_label() {
        assert_eq!(
            Stage::parse("stage", "在建").unwrap(),
            Stage::UnderConstruction
        );
        assert_eq!(
            Stage::parse("stage", "under_construction").unwrap(),
            Stage::UnderConstruction
        );
        let err = Stage::parse("stage", "施工中").unwrap_err();
        assert!(err.expected_zh.contains("在建（under_construction）"));
    }

    #[test]
    fn codes_are_unique_within_each_vocabulary() {
        fn unique(codes: Vec<&str>) -> bool {
            let mut sorted = codes.clone();
            sorted.sort_unstable();
            sorted.dedup();
            sorted.len() == codes.len()
        }
        assert!(unique(Stage::ALL.iter().map(|s| s.code()).collect()));
        assert!(unique(PermitKind::ALL.iter().map(|s| s.code()).collect()));
        assert!(unique(
            FundingChannel::ALL.iter().map(|s| s.code()).collect()
        ));
    }

    #[test]
    fn serializes_as_code() {
        let json = serde_json::to_string(&FundingNature::QuasiPublic).unwrap();
        assert_eq!(json, "\"quasi_public\"");
        let back: FundingNature = serde_json::from_str(&json).unwrap();
        assert_eq!(back, FundingNature::QuasiPublic);
    }
}
