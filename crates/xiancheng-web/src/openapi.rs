//! The OpenAPI 3.1 document of the JSON API, served at `/api/v1/openapi.json`. Written by
//! hand beside the router; a test checks that every `/api/v1` route is documented.

use axum::Json;
use serde_json::{Value, json};

/// Every documented operation: (method, path, summary, needs authentication).
pub const OPERATIONS: &[(&str, &str, &str, bool)] = &[
    ("get", "/api/v1/counties", "各县列表 / counties", false),
    (
        "get",
        "/api/v1/counties/{code}",
        "县概览 / county overview",
        false,
    ),
    (
        "get",
        "/api/v1/counties/{code}/plan",
        "方案条款树与对标 / plan tree with alignment",
        false,
    ),
    (
        "get",
        "/api/v1/counties/{code}/alignment",
        "国家《意见》各条对标情况 / alignment with the national Opinions",
        false,
    ),
    (
        "get",
        "/api/v1/counties/{code}/tasks",
        "重点任务及责任单位 / key tasks and departments",
        false,
    ),
    (
        "get",
        "/api/v1/counties/{code}/projects",
        "项目库（筛选、排序、分页）/ project library",
        false,
    ),
    (
        "get",
        "/api/v1/counties/{code}/projects/{id}",
        "项目详情 / one project",
        false,
    ),
    (
        "get",
        "/api/v1/national/opinions",
        "国家《意见》参考数据 / the national Opinions",
        false,
    ),
    (
        "post",
        "/api/v1/session",
        "登录，返回 CSRF 令牌并设置会话 Cookie / log in",
        false,
    ),
    ("delete", "/api/v1/session", "退出登录 / log out", true),
    (
        "post",
        "/api/v1/password",
        "修改本人口令 / change password",
        true,
    ),
    (
        "get",
        "/api/v1/tokens",
        "本人的 API 令牌 / my API tokens",
        true,
    ),
    (
        "post",
        "/api/v1/tokens",
        "新建 API 令牌（只显示一次）/ create an API token",
        true,
    ),
    (
        "delete",
        "/api/v1/tokens/{id}",
        "撤销 API 令牌 / revoke a token",
        true,
    ),
    (
        "post",
        "/api/v1/counties/{code}/reports",
        "新建或修改月报草稿 / create or update a draft report",
        true,
    ),
    (
        "get",
        "/api/v1/counties/{code}/reports/status",
        "应报未报、逾期与退回 / who has not reported (?period=YYYY-MM)",
        true,
    ),
    (
        "get",
        "/api/v1/counties/{code}/reports/{id}",
        "报告、更正记录与变更历史 / a report with amendments and history",
        true,
    ),
    (
        "post",
        "/api/v1/counties/{code}/reports/{id}/submit",
        "提交 / submit",
        true,
    ),
    (
        "post",
        "/api/v1/counties/{code}/reports/{id}/return",
        "退回（须说明理由）/ return with a reason",
        true,
    ),
    (
        "post",
        "/api/v1/counties/{code}/reports/{id}/approve",
        "审核通过（锁定）/ approve",
        true,
    ),
    (
        "post",
        "/api/v1/counties/{code}/reports/{id}/amend",
        "更正已审核报告（须说明理由，保留原值）/ amend an approved report",
        true,
    ),
    (
        "get",
        "/api/v1/counties/{code}/rollups",
        "汇总 / roll-ups (?by=category|area|task|department|channel|township|stage|county&period=)",
        true,
    ),
    (
        "get",
        "/api/v1/counties/{code}/earned-value",
        "挣值 / earned value (?period=&project=)",
        true,
    ),
    (
        "get",
        "/api/v1/counties/{code}/warnings",
        "红黄灯预警 / early warnings (?period=)",
        true,
    ),
    (
        "get",
        "/api/v1/counties/{code}/indicators",
        "指标进展 / indicator progress (?period=)",
        true,
    ),
    (
        "get",
        "/api/v1/counties/{code}/history/{kind}/{id}",
        "对象变更历史（审计）/ an object's audit history",
        true,
    ),
    ("get", "/healthz", "健康检查 / health", false),
];

fn parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect()
}

pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for (method, path, summary, auth) in OPERATIONS {
        let mut op = json!({
            "summary": summary,
            "parameters": parameters(path),
            "responses": {
                "200": { "description": "成功 / OK", "content": { "application/json": {} } },
                "400": { "$ref": "#/components/responses/Error" },
                "404": { "$ref": "#/components/responses/Error" }
            }
        });
        if *auth {
            op["security"] = json!([{ "bearer": [] }, { "session": [] }]);
            op["responses"]["401"] = json!({ "$ref": "#/components/responses/Error" });
            op["responses"]["403"] = json!({ "$ref": "#/components/responses/Error" });
        }
        if *method == "post" {
            op["responses"]["409"] = json!({ "$ref": "#/components/responses/Error" });
            op["responses"]["422"] = json!({ "$ref": "#/components/responses/Error" });
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[*method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "xiancheng API · 县城城镇化建设工作方案管理系统",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "金额以元为单位给出整数（yuan），并附万元文本（wan）；月份为 YYYY-MM。示例县的数据均为示例数据（illustrative）。会话认证时，修改类请求须带 X-CSRF-Token 请求头。"
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "POST /api/v1/tokens 取得的 API 令牌" },
                "session": { "type": "apiKey", "in": "cookie", "name": "xc_session", "description": "POST /api/v1/session 设置的会话 Cookie" }
            },
            "responses": {
                "Error": {
                    "description": "错误：status、message（中文），输入错误时 fields 列出每个字段的问题",
                    "content": { "application/json": { "schema": {
                        "type": "object",
                        "properties": { "error": { "type": "object", "properties": {
                            "status": { "type": "integer" },
                            "message": { "type": "string" },
                            "fields": { "type": "array", "items": { "type": "object", "properties": {
                                "field": { "type": "string" }, "value": { "type": "string" }, "expected": { "type": "string" }, "expected_en": { "type": "string" } } } }
                        } } }
                    } } }
                }
            }
        }
    })
}

pub async fn serve() -> Json<Value> {
    Json(document())
}
