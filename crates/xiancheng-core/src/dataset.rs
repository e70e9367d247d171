//! A whole county's records as one value: what the demo loader writes, what `db copy` moves
//! and what the store's conformance suite writes and reads back.
//!
//! Ids inside a dataset refer to each other. [`CountyDataset::rebase`] moves every id by the
//! same offset, so a dataset built with ids from 1 can be written into a database whose id
//! space is already in use; [`CountyDataset::validate`] checks that every reference resolves.

use crate::error::{ValidationError, ValidationErrors};
use crate::ids::*;
use crate::model::*;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountyDataset {
    pub county: County,
    pub population: Vec<PopulationFigure>,
    pub departments: Vec<Department>,
    pub plans: Vec<Plan>,
    pub nodes: Vec<PlanNode>,
    pub alignments: Vec<Alignment>,
    pub positioning: Vec<PositioningElement>,
    pub goals: Vec<Goal>,
    pub indicators: Vec<Indicator>,
    pub task_areas: Vec<TaskArea>,
    pub tasks: Vec<Task>,
    pub safeguards: Vec<Safeguard>,
    pub categories: Vec<Category>,
    pub projects: Vec<Project>,
    pub project_reports: Vec<ProjectReport>,
    pub task_reports: Vec<TaskReport>,
}

impl CountyDataset {
    /// Calls `f` on every id the dataset assigns (not on references).
    fn for_each_own_id(&self, f: &mut dyn FnMut(i64)) {
        f(self.county.id.0);
        self.departments.iter().for_each(|d| f(d.id.0));
        self.plans.iter().for_each(|p| f(p.id.0));
        self.nodes.iter().for_each(|n| f(n.id.0));
        self.alignments.iter().for_each(|a| f(a.id.0));
        self.positioning.iter().for_each(|p| f(p.id.0));
        self.goals.iter().for_each(|g| f(g.id.0));
        self.indicators.iter().for_each(|i| f(i.id.0));
        self.task_areas.iter().for_each(|a| f(a.id.0));
        for task in &self.tasks {
            f(task.id.0);
            task.milestones.iter().for_each(|m| f(m.id.0));
        }
        self.safeguards.iter().for_each(|s| f(s.id.0));
        self.categories.iter().for_each(|c| f(c.id.0));
        for project in &self.projects {
            f(project.id.0);
            project.funding.iter().for_each(|l| f(l.id.0));
            project.permits.iter().for_each(|p| f(p.id.0));
            project.risks.iter().for_each(|r| f(r.id.0));
        }
        self.project_reports.iter().for_each(|r| f(r.id.0));
        self.task_reports.iter().for_each(|r| f(r.id.0));
    }

    /// The smallest and largest id the dataset assigns.
    pub fn id_range(&self) -> (i64, i64) {
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        self.for_each_own_id(&mut |id| {
            lo = lo.min(id);
            hi = hi.max(id);
        });
        (lo, hi)
    }

    /// Moves every id, and every reference to one, by `offset`.
    pub fn rebase(&mut self, offset: i64) {
        let o = offset;
        let opt_dep = |d: &mut Option<DepartmentId>| *d = d.map(|d| d.rebased(o));
        let opt_node = |n: &mut Option<PlanNodeId>| *n = n.map(|n| n.rebased(o));
        self.county.id = self.county.id.rebased(o);
        let county = self.county.id;
        self.population
            .iter_mut()
            .for_each(|p| p.county_id = county);
        for d in &mut self.departments {
            d.id = d.id.rebased(o);
            d.county_id = county;
        }
        for p in &mut self.plans {
            p.id = p.id.rebased(o);
            p.county_id = county;
        }
        for n in &mut self.nodes {
            n.id = n.id.rebased(o);
            n.plan_id = n.plan_id.rebased(o);
            opt_node(&mut n.parent);
        }
        for a in &mut self.alignments {
            a.id = a.id.rebased(o);
            a.plan_id = a.plan_id.rebased(o);
            opt_node(&mut a.node);
        }
        for p in &mut self.positioning {
            p.id = p.id.rebased(o);
            p.plan_id = p.plan_id.rebased(o);
        }
        for g in &mut self.goals {
            g.id = g.id.rebased(o);
            g.plan_id = g.plan_id.rebased(o);
        }
        for i in &mut self.indicators {
            i.id = i.id.rebased(o);
            i.county_id = county;
            i.plan_id = i.plan_id.rebased(o);
            opt_dep(&mut i.source_department);
        }
        for a in &mut self.task_areas {
            a.id = a.id.rebased(o);
            a.plan_id = a.plan_id.rebased(o);
            opt_node(&mut a.node);
        }
        for t in &mut self.tasks {
            t.id = t.id.rebased(o);
            t.area_id = t.area_id.rebased(o);
            t.county_id = county;
            t.lead = t.lead.rebased(o);
            t.co.iter_mut().for_each(|d| *d = d.rebased(o));
            opt_node(&mut t.node);
            t.projects.iter_mut().for_each(|p| *p = p.rebased(o));
            t.indicators.iter_mut().for_each(|i| *i = i.rebased(o));
            t.milestones.iter_mut().for_each(|m| m.id = m.id.rebased(o));
        }
        for s in &mut self.safeguards {
            s.id = s.id.rebased(o);
            s.plan_id = s.plan_id.rebased(o);
            opt_node(&mut s.node);
            opt_dep(&mut s.lead);
            s.co.iter_mut().for_each(|d| *d = d.rebased(o));
        }
        for c in &mut self.categories {
            c.id = c.id.rebased(o);
            c.county_id = county;
        }
        for p in &mut self.projects {
            p.id = p.id.rebased(o);
            p.county_id = county;
            p.category = p.category.rebased(o);
            opt_dep(&mut p.township);
            p.lead = p.lead.rebased(o);
            opt_dep(&mut p.competent);
            p.funding.iter_mut().for_each(|l| l.id = l.id.rebased(o));
            p.permits.iter_mut().for_each(|l| l.id = l.id.rebased(o));
            for r in &mut p.risks {
                r.id = r.id.rebased(o);
                opt_dep(&mut r.owner);
            }
        }
        for r in &mut self.project_reports {
            r.id = r.id.rebased(o);
            r.project_id = r.project_id.rebased(o);
        }
        for r in &mut self.task_reports {
            r.id = r.id.rebased(o);
            r.task_id = r.task_id.rebased(o);
        }
    }

    /// Sorts every list into the one order the store reads it back in, so two datasets with
    /// the same records compare equal whatever order they were built in.
    pub fn canonicalize(&mut self) {
        self.population
            .sort_by(|a, b| (a.year, a.kind.code()).cmp(&(b.year, b.kind.code())));
        self.plans.sort_by_key(|p| p.id);
        self.nodes.sort_by_key(|n| (n.plan_id, n.id));
        self.alignments
            .sort_by_key(|a| (a.plan_id, a.national_item, a.id));
        self.positioning.sort_by_key(|p| (p.plan_id, p.id));
        self.goals.sort_by_key(|g| (g.plan_id, g.ordinal));
        self.indicators
            .sort_by(|a, b| (a.plan_id, &a.code).cmp(&(b.plan_id, &b.code)));
        for i in &mut self.indicators {
            i.targets.sort_by_key(|v| v.year);
            i.actuals.sort_by_key(|v| v.year);
        }
        self.task_areas.sort_by_key(|a| (a.plan_id, a.ordinal));
        let area_order: std::collections::HashMap<TaskAreaId, i32> =
            self.task_areas.iter().map(|a| (a.id, a.ordinal)).collect();
        self.tasks
            .sort_by_key(|t| (area_order.get(&t.area_id).copied(), t.ordinal));
        for t in &mut self.tasks {
            t.national_items.sort_unstable();
            t.projects.sort_unstable();
            t.indicators.sort_unstable();
            t.milestones.sort_by_key(|m| m.ordinal);
        }
        self.safeguards.sort_by_key(|s| (s.plan_id, s.ordinal));
        self.categories.sort_by_key(|c| c.ordinal);
        self.projects
            .sort_by(|a, b| a.internal_code.cmp(&b.internal_code));
        for p in &mut self.projects {
            p.annual_plan.sort_by_key(|a| a.year);
        }
        self.project_reports
            .sort_by_key(|r| (r.project_id, r.period));
        self.task_reports.sort_by_key(|r| (r.task_id, r.period));
    }

    /// Checks that ids are unique, that every reference resolves within the dataset, and the
    /// invariants a stored county must keep. Reports every problem, not just the first.
    pub fn validate(&self, national_items: &[i32]) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut seen = HashSet::new();
        self.for_each_own_id(&mut |id| {
            if !seen.insert(id) {
                errors.push(ValidationError::new("id", id, "唯一的编号", "a unique id"));
            }
        });
        let departments: HashSet<_> = self.departments.iter().map(|d| d.id).collect();
        let townships: HashSet<_> = self
            .departments
            .iter()
            .filter(|d| d.kind.is_township())
            .map(|d| d.id)
            .collect();
        let plans: HashSet<_> = self.plans.iter().map(|p| p.id).collect();
        let nodes: HashSet<_> = self.nodes.iter().map(|n| n.id).collect();
        let areas: HashSet<_> = self.task_areas.iter().map(|a| a.id).collect();
        let tasks: HashSet<_> = self.tasks.iter().map(|t| t.id).collect();
        let categories: HashSet<_> = self.categories.iter().map(|c| c.id).collect();
        let projects: HashSet<_> = self.projects.iter().map(|p| p.id).collect();
        let indicators: HashSet<_> = self.indicators.iter().map(|i| i.id).collect();
        let items: HashSet<_> = national_items.iter().copied().collect();

        for n in &self.nodes {
            refer(
                &mut errors,
                plans.contains(&n.plan_id),
                format!("nodes[{}].plan_id", n.id),
                &n.plan_id,
                "方案",
                "plan",
            );
            if let Some(parent) = n.parent {
                refer(
                    &mut errors,
                    nodes.contains(&parent),
                    format!("nodes[{}].parent", n.id),
                    &parent,
                    "上级节点",
                    "parent node",
                );
            }
        }
        for a in &self.alignments {
            refer(
                &mut errors,
                items.contains(&a.national_item),
                format!("alignments[{}].national_item", a.id),
                &a.national_item,
                "国家《意见》条目",
                "national item",
            );
            if let Some(node) = a.node {
                refer(
                    &mut errors,
                    nodes.contains(&node),
                    format!("alignments[{}].node", a.id),
                    &node,
                    "方案条款",
                    "plan node",
                );
            }
        }
        for t in &self.tasks {
            let at = |f: &str| format!("tasks[{}].{f}", t.id);
            refer(
                &mut errors,
                areas.contains(&t.area_id),
                at("area_id"),
                &t.area_id,
                "任务领域",
                "task area",
            );
            refer(
                &mut errors,
                departments.contains(&t.lead),
                at("lead"),
                &t.lead,
                "牵头单位",
                "lead department",
            );
            for d in &t.co {
                refer(
                    &mut errors,
                    departments.contains(d),
                    at("co"),
                    d,
                    "配合单位",
                    "co-responsible department",
                );
            }
            for p in &t.projects {
                refer(
                    &mut errors,
                    projects.contains(p),
                    at("projects"),
                    p,
                    "项目",
                    "project",
                );
            }
            for i in &t.indicators {
                refer(
                    &mut errors,
                    indicators.contains(i),
                    at("indicators"),
                    i,
                    "指标",
                    "indicator",
                );
            }
            for n in &t.national_items {
                refer(
                    &mut errors,
                    items.contains(n),
                    at("national_items"),
                    n,
                    "国家《意见》条目",
                    "national item",
                );
            }
        }
        for p in &self.projects {
            let at = |f: &str| format!("projects[{}].{f}", p.internal_code);
            refer(
                &mut errors,
                categories.contains(&p.category),
                at("category"),
                &p.category,
                "项目类别",
                "category",
            );
            refer(
                &mut errors,
                departments.contains(&p.lead),
                at("lead"),
                &p.lead,
                "责任单位",
                "responsible department",
            );
            if let Some(t) = p.township {
                refer(
                    &mut errors,
                    townships.contains(&t),
                    at("township"),
                    &t,
                    "乡镇（街道）",
                    "township",
                );
            }
            if p.total_investment.is_negative() {
                errors.push(ValidationError::new(
                    at("total_investment"),
                    p.total_investment,
                    "不小于 0 的金额",
                    "a non-negative amount",
                ));
            }
            for r in &p.risks {
                if !(1..=5).contains(&r.likelihood) || !(1..=5).contains(&r.impact) {
                    errors.push(ValidationError::new(
                        at("risks"),
                        format!("{}×{}", r.likelihood, r.impact),
                        "1 到 5 的可能性与影响",
                        "likelihood and impact from 1 to 5",
                    ));
                }
            }
        }
        for r in &self.project_reports {
            refer(
                &mut errors,
                projects.contains(&r.project_id),
                format!("project_reports[{}].project_id", r.id),
                &r.project_id,
                "项目",
                "project",
            );
        }
        for r in &self.task_reports {
            refer(
                &mut errors,
                tasks.contains(&r.task_id),
                format!("task_reports[{}].task_id", r.id),
                &r.task_id,
                "任务",
                "task",
            );
        }
        errors.into_result()
    }
}

/// Records a dangling reference.
fn refer(
    errors: &mut ValidationErrors,
    ok: bool,
    field: String,
    value: &dyn std::fmt::Display,
    what_zh: &str,
    what_en: &str,
) {
    if !ok {
        errors.push(ValidationError::new(
            field,
            value,
            format!("已存在的{what_zh}"),
            format!("an existing {what_en}"),
        ));
    }
}
