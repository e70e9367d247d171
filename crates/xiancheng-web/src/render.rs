//! Templates: embedded at compile time, rendered by minijinja with auto-escaping on, so any
//! text typed into the system comes back escaped.

use crate::error::AppError;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use minijinja::{AutoEscape, Environment};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("county.html", include_str!("../templates/county.html")),
    ("plan.html", include_str!("../templates/plan.html")),
    (
        "alignment.html",
        include_str!("../templates/alignment.html"),
    ),
    ("tasks.html", include_str!("../templates/tasks.html")),
    ("projects.html", include_str!("../templates/projects.html")),
    ("project.html", include_str!("../templates/project.html")),
    ("opinions.html", include_str!("../templates/opinions.html")),
    (
        "dashboard.html",
        include_str!("../templates/dashboard.html"),
    ),
    ("warnings.html", include_str!("../templates/warnings.html")),
    (
        "indicators.html",
        include_str!("../templates/indicators.html"),
    ),
    ("login.html", include_str!("../templates/login.html")),
    (
        "workbench.html",
        include_str!("../templates/workbench.html"),
    ),
    (
        "report_form.html",
        include_str!("../templates/report_form.html"),
    ),
    ("queue.html", include_str!("../templates/queue.html")),
    ("history.html", include_str!("../templates/history.html")),
];

const STYLESHEET: &str = include_str!("../static/site.css");

#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub fn new() -> Self {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("embedded templates parse (checked by tests)");
        }
        Templates { env }
    }

    pub fn render(&self, name: &str, context: minijinja::Value) -> Result<Html<String>, AppError> {
        Ok(Html(self.env.get_template(name)?.render(context)?))
    }
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

/// HTML-escapes text for the few places that build markup outside templates.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
