//! Typed ids. Every stored record has an `i64` id drawn from one id space per database
//! (the store allocates blocks of them), wrapped in a newtype so that a project id can
//! never be passed where a task id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_types {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The same id moved by `offset` (used when a dataset is given fresh ids).
            pub fn rebased(self, offset: i64) -> Self {
                Self(self.0 + offset)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_types! {
    /// A county (tenant).
    CountyId;
    /// A plan document of a county.
    PlanId;
    /// A node of a plan's document tree (chapter, section, article, clause).
    PlanNodeId;
    /// A department or township answerable for tasks and projects (责任单位).
    DepartmentId;
    /// A key-task area (重点任务领域).
    TaskAreaId;
    /// A key task.
    TaskId;
    /// A task milestone.
    MilestoneId;
    /// A safeguard measure (保障措施).
    SafeguardId;
    /// An indicator.
    IndicatorId;
    /// A county's own project category.
    CategoryId;
    /// A project of the project library.
    ProjectId;
    /// A funding plan line of a project.
    FundingLineId;
    /// A permit of a project's checklist (前期手续).
    PermitId;
    /// A risk of a project's risk register.
    RiskId;
    /// A monthly progress report of a project.
    ProjectReportId;
    /// A monthly progress report of a task.
    TaskReportId;
    /// An alignment row between a plan and a national item.
    AlignmentId;
    /// A positioning element or development goal.
    PositioningId;
    /// A development goal of a plan.
    GoalId;
    /// A user account.
    UserId;
}
