-- Initial schema. Ids are assigned by the application from id_counter, so every table has
-- a plain BIGINT primary key on both backends. Money is BIGINT yuan; dates are TEXT
-- (YYYY-MM-DD); months are BIGINT YYYYMM; flags are BIGINT 0/1.

CREATE TABLE id_counter (name TEXT PRIMARY KEY, next_id BIGINT NOT NULL);
INSERT INTO id_counter (name, next_id) VALUES ('global', 1);

CREATE TABLE national_document (id BIGINT PRIMARY KEY, title TEXT NOT NULL, issuers TEXT NOT NULL, doc_number TEXT NOT NULL, issued TEXT NOT NULL, verification TEXT NOT NULL);
CREATE TABLE national_parts (number BIGINT PRIMARY KEY, label TEXT NOT NULL, title TEXT NOT NULL, title_en TEXT NOT NULL, verification TEXT NOT NULL);
CREATE TABLE national_items (number BIGINT PRIMARY KEY, label TEXT NOT NULL, part BIGINT NOT NULL REFERENCES national_parts (number), heading TEXT NOT NULL, heading_en TEXT NOT NULL, role TEXT NOT NULL, heading_verification TEXT NOT NULL, number_verification TEXT NOT NULL, keywords TEXT NOT NULL);
CREATE TABLE functional_types (code TEXT PRIMARY KEY, verb TEXT NOT NULL, name TEXT NOT NULL, heading TEXT NOT NULL, name_en TEXT NOT NULL, description_zh TEXT NOT NULL, description_en TEXT NOT NULL, item BIGINT NOT NULL REFERENCES national_items (number));
CREATE TABLE ndrc_groups (code TEXT PRIMARY KEY, ordinal BIGINT NOT NULL, name TEXT NOT NULL, phrase TEXT NOT NULL, name_en TEXT NOT NULL);
CREATE TABLE ndrc_areas (code TEXT PRIMARY KEY, group_code TEXT NOT NULL REFERENCES ndrc_groups (code), ordinal BIGINT NOT NULL, name TEXT NOT NULL, name_en TEXT NOT NULL);

CREATE TABLE counties (
    id BIGINT PRIMARY KEY,
    division_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL, name_en TEXT NOT NULL, province TEXT NOT NULL, city TEXT NOT NULL, seat TEXT NOT NULL,
    primary_type TEXT NOT NULL, secondary_type TEXT, area_km2 DOUBLE PRECISION, illustrative BIGINT NOT NULL
);
CREATE TABLE county_population (
    county_id BIGINT NOT NULL REFERENCES counties (id), year BIGINT NOT NULL, kind TEXT NOT NULL,
    persons BIGINT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (county_id, year, kind)
);
CREATE TABLE departments (
    id BIGINT PRIMARY KEY, county_id BIGINT NOT NULL REFERENCES counties (id), ordinal BIGINT NOT NULL,
    name TEXT NOT NULL, short_name TEXT NOT NULL, kind TEXT NOT NULL, lon DOUBLE PRECISION, lat DOUBLE PRECISION,
    UNIQUE (county_id, name)
);
CREATE TABLE department_aliases (department_id BIGINT NOT NULL REFERENCES departments (id), ordinal BIGINT NOT NULL, alias TEXT NOT NULL, PRIMARY KEY (department_id, ordinal));

CREATE TABLE plans (
    id BIGINT PRIMARY KEY, county_id BIGINT NOT NULL REFERENCES counties (id), title TEXT NOT NULL,
    issuing_body TEXT NOT NULL, doc_number TEXT NOT NULL, issued_on TEXT, period_start BIGINT NOT NULL,
    period_end BIGINT NOT NULL, outlook_year BIGINT, status TEXT NOT NULL,
    interpretation_title TEXT, interpretation_text TEXT, interpretation_source TEXT, interpretation_truncated BIGINT
);
CREATE TABLE plan_nodes (
    id BIGINT PRIMARY KEY, plan_id BIGINT NOT NULL REFERENCES plans (id), parent_id BIGINT REFERENCES plan_nodes (id),
    ordinal BIGINT NOT NULL, level TEXT NOT NULL, label TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX plan_nodes_plan ON plan_nodes (plan_id);
CREATE TABLE alignments (
    id BIGINT PRIMARY KEY, plan_id BIGINT NOT NULL REFERENCES plans (id), national_item BIGINT NOT NULL REFERENCES national_items (number),
    node_id BIGINT REFERENCES plan_nodes (id), status TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE INDEX alignments_plan ON alignments (plan_id);
CREATE TABLE positioning_elements (id BIGINT PRIMARY KEY, plan_id BIGINT NOT NULL REFERENCES plans (id), kind TEXT NOT NULL, ordinal BIGINT NOT NULL, text TEXT NOT NULL);
CREATE TABLE goals (id BIGINT PRIMARY KEY, plan_id BIGINT NOT NULL REFERENCES plans (id), ordinal BIGINT NOT NULL, year BIGINT, text TEXT NOT NULL);

CREATE TABLE indicators (
    id BIGINT PRIMARY KEY, county_id BIGINT NOT NULL REFERENCES counties (id), plan_id BIGINT NOT NULL REFERENCES plans (id),
    code TEXT NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL, direction TEXT NOT NULL, decimals BIGINT NOT NULL,
    theme TEXT NOT NULL, source_department_id BIGINT REFERENCES departments (id),
    baseline_year BIGINT, baseline_value DOUBLE PRECISION, UNIQUE (plan_id, code)
);
CREATE TABLE indicator_values (
    indicator_id BIGINT NOT NULL REFERENCES indicators (id), kind TEXT NOT NULL, year BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL, PRIMARY KEY (indicator_id, kind, year)
);

CREATE TABLE task_areas (id BIGINT PRIMARY KEY, plan_id BIGINT NOT NULL REFERENCES plans (id), ordinal BIGINT NOT NULL, title TEXT NOT NULL, node_id BIGINT REFERENCES plan_nodes (id));
CREATE TABLE tasks (
    id BIGINT PRIMARY KEY, area_id BIGINT NOT NULL REFERENCES task_areas (id), county_id BIGINT NOT NULL REFERENCES counties (id),
    ordinal BIGINT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
    lead_department_id BIGINT NOT NULL REFERENCES departments (id), status TEXT NOT NULL, progress_mode TEXT NOT NULL,
    entered_progress_bp BIGINT, cadence TEXT NOT NULL, node_id BIGINT REFERENCES plan_nodes (id)
);
CREATE INDEX tasks_county ON tasks (county_id);
CREATE TABLE task_co_departments (task_id BIGINT NOT NULL REFERENCES tasks (id), ordinal BIGINT NOT NULL, department_id BIGINT NOT NULL REFERENCES departments (id), PRIMARY KEY (task_id, department_id));
CREATE TABLE task_national_items (task_id BIGINT NOT NULL REFERENCES tasks (id), national_item BIGINT NOT NULL REFERENCES national_items (number), PRIMARY KEY (task_id, national_item));
CREATE TABLE task_indicators (task_id BIGINT NOT NULL REFERENCES tasks (id), indicator_id BIGINT NOT NULL REFERENCES indicators (id), PRIMARY KEY (task_id, indicator_id));
CREATE TABLE milestones (id BIGINT PRIMARY KEY, task_id BIGINT NOT NULL REFERENCES tasks (id), ordinal BIGINT NOT NULL, title TEXT NOT NULL, due_on TEXT NOT NULL, done_on TEXT);
CREATE TABLE safeguards (
    id BIGINT PRIMARY KEY, plan_id BIGINT NOT NULL REFERENCES plans (id), ordinal BIGINT NOT NULL, title TEXT NOT NULL,
    description TEXT NOT NULL, node_id BIGINT REFERENCES plan_nodes (id), lead_department_id BIGINT REFERENCES departments (id)
);
CREATE TABLE safeguard_co_departments (safeguard_id BIGINT NOT NULL REFERENCES safeguards (id), ordinal BIGINT NOT NULL, department_id BIGINT NOT NULL REFERENCES departments (id), PRIMARY KEY (safeguard_id, department_id));

CREATE TABLE categories (id BIGINT PRIMARY KEY, county_id BIGINT NOT NULL REFERENCES counties (id), ordinal BIGINT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, UNIQUE (county_id, code));
CREATE TABLE category_ndrc_areas (category_id BIGINT NOT NULL REFERENCES categories (id), ordinal BIGINT NOT NULL, area_code TEXT NOT NULL REFERENCES ndrc_areas (code), PRIMARY KEY (category_id, area_code));
CREATE TABLE projects (
    id BIGINT PRIMARY KEY, county_id BIGINT NOT NULL REFERENCES counties (id), internal_code TEXT NOT NULL, national_code TEXT,
    name TEXT NOT NULL, category_id BIGINT NOT NULL REFERENCES categories (id), township_id BIGINT REFERENCES departments (id),
    lon DOUBLE PRECISION, lat DOUBLE PRECISION, address TEXT NOT NULL, content TEXT NOT NULL, nature TEXT NOT NULL,
    lead_department_id BIGINT NOT NULL REFERENCES departments (id), owner TEXT NOT NULL, competent_department_id BIGINT REFERENCES departments (id),
    total_investment_yuan BIGINT NOT NULL, funding_nature TEXT NOT NULL, stage TEXT NOT NULL,
    planned_start BIGINT, planned_finish BIGINT, actual_start BIGINT, actual_finish BIGINT,
    competent_opinion TEXT NOT NULL, feasibility_score BIGINT, feasibility_note TEXT NOT NULL,
    UNIQUE (county_id, internal_code)
);
CREATE INDEX projects_county ON projects (county_id, category_id, stage);
CREATE TABLE task_projects (task_id BIGINT NOT NULL REFERENCES tasks (id), project_id BIGINT NOT NULL REFERENCES projects (id), PRIMARY KEY (task_id, project_id));
CREATE TABLE project_annual_plans (project_id BIGINT NOT NULL REFERENCES projects (id), year BIGINT NOT NULL, amount_yuan BIGINT NOT NULL, PRIMARY KEY (project_id, year));
CREATE TABLE funding_lines (
    id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL REFERENCES projects (id), ordinal BIGINT NOT NULL, channel TEXT NOT NULL, programme TEXT NOT NULL,
    planned_yuan BIGINT NOT NULL, approved_yuan BIGINT NOT NULL, arrived_yuan BIGINT NOT NULL, status TEXT NOT NULL, doc_number TEXT NOT NULL
);
CREATE INDEX funding_lines_project ON funding_lines (project_id);
CREATE TABLE permits (
    id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL REFERENCES projects (id), ordinal BIGINT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
    doc_number TEXT NOT NULL, issued_on TEXT, valid_until TEXT, issuer TEXT NOT NULL
);
CREATE INDEX permits_project ON permits (project_id);
CREATE TABLE risks (
    id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL REFERENCES projects (id), ordinal BIGINT NOT NULL, category TEXT NOT NULL, description TEXT NOT NULL,
    likelihood BIGINT NOT NULL, impact BIGINT NOT NULL, owner_department_id BIGINT REFERENCES departments (id), mitigation TEXT NOT NULL, status TEXT NOT NULL
);
CREATE INDEX risks_project ON risks (project_id);

CREATE TABLE project_reports (
    id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL REFERENCES projects (id), period BIGINT NOT NULL,
    investment_month_yuan BIGINT NOT NULL, investment_cumulative_yuan BIGINT NOT NULL, progress_bp BIGINT NOT NULL,
    narrative TEXT NOT NULL, problems TEXT NOT NULL, next_steps TEXT NOT NULL, status TEXT NOT NULL,
    submitted_on TEXT, approved_on TEXT, UNIQUE (project_id, period)
);
CREATE TABLE task_reports (
    id BIGINT PRIMARY KEY, task_id BIGINT NOT NULL REFERENCES tasks (id), period BIGINT NOT NULL, progress_bp BIGINT,
    narrative TEXT NOT NULL, problems TEXT NOT NULL, next_steps TEXT NOT NULL, status TEXT NOT NULL,
    submitted_on TEXT, approved_on TEXT, UNIQUE (task_id, period)
);
