#!/usr/bin/env python3
"""Generate the HUD-shaped part of Hearth's schema from the HMIS CSV FY2026 spec.

Input:  server/src/hmis_csv/spec/_files.csv and the 24 `<File>.csv` column specs
        (`column,type,length,required,list,notes`, in export order) — the project's
        copy of ../shared/hud/csv-spec.
Output (checked in; edit this script, never the output):
  server/src/hmis_csv/spec/columns.csv
      `file,column,db_table,db_column` for every spec column, in export order. An empty
      db_table/db_column means the column is not stored (see NOT STORED below).
  migrations/src/m20261124_000010_create_hud_model/generated.rs
      a `DeriveIden` enum and a `fn <table>() -> Vec<ColumnDef>` per HUD table. The
      hand-written migration (m20261124_000010_create_hud_model.rs) adds foreign keys,
      indexes and the local tables.
  app/src/db/entities/<entity>.rs
      only the region between `// @generated begin` and `// @generated end` (the Model
      struct). Relations and methods below the end marker are hand-written and kept.
      A missing file is created with an empty Relation enum.

Mapping (mechanical):
  * table = HUD file name in plural snake case (TABLES below).
  * column = heck-style snake case of the spec name (what `heck::ToSnakeCase` does, the
    rule sea-orm uses), after writing `CoC` as `Coc`, `HoH` as `Hoh` and a trailing `ID`
    as `Id`:
    PersonalID -> personal_id, HOHLeaseholder -> hoh_leaseholder, TCellCount ->
    t_cell_count, SSNDataQuality -> ssn_data_quality, AmIndAKNative -> am_ind_ak_native,
    VAMCStation -> vamc_station, CoCCode -> coc_code, RelationshipToHoH ->
    relationship_to_hoh, HealthAndDVID -> health_and_dv_id,
    HH5Plus -> hh5_plus, LeaseOwn60Day -> lease_own60_day.
  * record metadata: DateCreated -> created_at, DateUpdated -> updated_at,
    UserID -> created_by (S32, nullable, no FK), DateDeleted -> date_deleted.
  * types: S(n) -> string_len(n) / String, I -> integer / i32, D -> date / Date,
    T -> timestamp_with_time_zone / DateTimeUtc, M (money) -> double / f64.
    Nullable unless the spec says required=Y (created_by is always nullable).
  * primary key = the spec's ID column (_files.csv), S32, no auto-increment.

NOT STORED: ExportID (every file; the exporter writes the current export's ID), all of
Export.csv (describes an export, written per export). User.csv's UserPhone,
UserExtension and DateDeleted are users.phone, phone_extension and date_deleted
(migration 20). Stored differently:
Client.SSN -> clients.ssn_encrypted (AEAD ciphertext) + clients.ssn_last4;
Organization.VictimServiceProvider -> a bool (exported as 0/1).

The migration output belongs to one migration: after it has shipped, a changed spec
(a new FY) needs a new migration, not a regenerated old one (`--check` shows the drift).

Usage: python3 scripts/gen-hud-model.py [--check | --list]
  --check  exit 1 when any output is not up to date (writes nothing).
  --list   print every table's columns (spec column -> db column, type, null) and exit.

Python 3 standard library only; the Rust output is passed through `rustfmt`.
"""

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "server" / "src" / "hmis_csv" / "spec"
COLUMNS_OUT = SPEC_DIR / "columns.csv"
MIGRATION_OUT = ROOT / "migrations" / "src" / "m20261124_000010_create_hud_model" / "generated.rs"
ENTITY_DIR = ROOT / "app" / "src" / "db" / "entities"
SCRIPT = "scripts/gen-hud-model.py"
BEGIN = "// @generated begin"
END = "// @generated end"

# (spec file, table, entity module). None: not a table of its own.
TABLES = [
    ("Export.csv", None, None),
    ("Organization.csv", "organizations", None),  # hand-written: access migration + 000010
    ("User.csv", "users", None),  # hand-written: access migration
    ("Project.csv", "projects", "project"),
    ("Funder.csv", "funders", "funder"),
    ("ProjectCoC.csv", "project_cocs", "project_coc"),
    ("Inventory.csv", "inventories", "inventory"),
    ("Affiliation.csv", "affiliations", "affiliation"),
    ("HMISParticipation.csv", "hmis_participations", "hmis_participation"),
    ("CEParticipation.csv", "ce_participations", "ce_participation"),
    ("Client.csv", "clients", "client"),
    ("Enrollment.csv", "enrollments", "enrollment"),
    ("Exit.csv", "exits", "exit"),
    ("IncomeBenefits.csv", "income_benefits", "income_benefit"),
    ("HealthAndDV.csv", "health_and_dvs", "health_and_dv"),
    ("EmploymentEducation.csv", "employment_educations", "employment_education"),
    ("Disabilities.csv", "disabilities", "disability"),
    ("Services.csv", "services", "service"),
    ("CurrentLivingSituation.csv", "current_living_situations", "current_living_situation"),
    ("Assessment.csv", "assessments", "assessment"),
    ("AssessmentQuestions.csv", "assessment_questions", "assessment_question"),
    ("AssessmentResults.csv", "assessment_results", "assessment_result"),
    ("Event.csv", "events", "event"),
    ("YouthEducationStatus.csv", "youth_education_statuses", "youth_education_status"),
]

METADATA = {
    "DateCreated": "created_at",
    "DateUpdated": "updated_at",
    "UserID": "created_by",
    "DateDeleted": "date_deleted",
}

# Columns of the hand-written tables, for columns.csv (spec column -> db column; None =
# not stored).
HAND_WRITTEN = {
    "Organization.csv": {
        "OrganizationID": "organization_id",
        "OrganizationName": "organization_name",
        "VictimServiceProvider": "victim_service_provider",
        "OrganizationCommonName": "organization_common_name",
        "DateCreated": "created_at",
        "DateUpdated": "updated_at",
        "UserID": "created_by",
        "DateDeleted": "date_deleted",
        "ExportID": None,
    },
    "User.csv": {
        "UserID": "user_id",
        "UserFirstName": "first_name",
        "UserLastName": "last_name",
        "UserPhone": "phone",
        "UserExtension": "phone_extension",
        "UserEmail": "email",
        "DateCreated": "created_at",
        "DateUpdated": "updated_at",
        "DateDeleted": "date_deleted",
        "ExportID": None,
    },
}

# Local columns appended after the spec's columns:
# (db column, type, length, nullable, default, doc).
STAGE_DOC = (
    "Local: the assessment event (master assessment) this row belongs to. The spec's "
    "InformationDate and DataCollectionStage stay on the row too: the app writes them equal "
    "to the event's, imported files may disagree."
)
STAGE_EVENT = [("assessment_event_id", "S", 32, False, None, STAGE_DOC)]
LOCAL = {
    "projects": [
        ("auto_exit_days", "I", None, True, None,
         "Local: exit a household after this many days without a service or contact."),
        ("auto_alert_days", "I", None, True, None,
         "Local: alert case managers after this many days without a service or contact."),
        ("ce_participating", "B", None, False, False,
         "Local: the project takes part in Coordinated Entry."),
    ],
    "exits": [
        ("exit_reason_id", "S", 32, True, None,
         "Local: the reason for leaving (`exit_reasons`), e.g. Auto Exit."),
        ("exit_method", "S", 16, False, "manual", "Local: how the exit was made: manual, auto or admin."),
    ],
    "clients": [
        ("first_name_key", "S", 50, True, None,
         "Local search key: first name in lower case without accents (filled by the app)."),
        ("last_name_key", "S", 50, True, None,
         "Local search key: last name in lower case without accents (filled by the app)."),
    ],
    "income_benefits": STAGE_EVENT,
    "health_and_dvs": STAGE_EVENT,
    "disabilities": STAGE_EVENT,
    "employment_educations": STAGE_EVENT,
    "youth_education_statuses": STAGE_EVENT,
}

# Spec columns stored as other columns: (file, column) -> local columns in its place.
REPLACED = {
    ("Client.csv", "SSN"): [
        ("ssn_encrypted", "X", None, True, None,
         "3.02 SSN, sealed with the data key (AEAD ciphertext; never stored in plain text)."),
        ("ssn_last4", "S", 4, True, None, "3.02 SSN: the last four digits, kept for search."),
    ],
}


def fail(message):
    sys.exit(f"gen-hud-model: {message}")


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.reader(f) if row]
    if not rows:
        fail(f"{path} is empty")
    return rows[0], rows[1:]


def heck_snake(s):
    """A port of heck 0.5's `to_snake_case` for ASCII identifiers."""
    words = []
    for part in "".join(c if c.isalnum() else " " for c in s).split():
        init, mode = 0, None  # mode: None (boundary), "lower", "upper"
        n = len(part)
        for i, c in enumerate(part):
            if i + 1 >= n:
                break
            nxt = part[i + 1]
            next_mode = "lower" if c.islower() else "upper" if c.isupper() else mode
            if next_mode == "lower" and nxt.isupper():
                words.append(part[init : i + 1])
                init, mode = i + 1, None
            elif mode == "upper" and c.isupper() and nxt.islower():
                words.append(part[init:i])
                init, mode = i, None
            else:
                mode = next_mode
        words.append(part[init:])
    return "_".join(w.lower() for w in words if w)


def upper_camel(snake):
    return "".join(w[:1].upper() + w[1:] for w in snake.split("_"))


def db_name(column):
    if column in METADATA:
        return METADATA[column]
    name = column.replace("CoC", "Coc").replace("HoH", "Hoh")
    if name.endswith("ID"):
        name = name[:-2] + "Id"
    return heck_snake(name)


def load():
    header, rows = read_csv(SPEC_DIR / "_files.csv")
    if header[:3] != ["file", "description", "primary_key"]:
        fail(f"_files.csv header is {header}")
    files = {r[0]: {"description": r[1], "pk": r[2], "count": int(r[3])} for r in rows}
    if sorted(files) != sorted(t[0] for t in TABLES):
        fail("TABLES and _files.csv name different files")
    specs = []
    for file_name, table, module in TABLES:
        head, cols = read_csv(SPEC_DIR / file_name)
        if head != ["column", "type", "length", "required", "list", "notes"]:
            fail(f"{file_name}: unexpected header {head}")
        if len(cols) != files[file_name]["count"]:
            fail(f"{file_name}: {len(cols)} columns, _files.csv says {files[file_name]['count']}")
        columns = []
        for name, typ, length, required, lst, notes in cols:
            if typ not in "SIDTM" or len(typ) != 1:
                fail(f"{file_name}.{name}: unknown type {typ}")
            if (typ == "S") != bool(length):
                fail(f"{file_name}.{name}: S needs a length, other types none")
            columns.append(
                {
                    "name": name,
                    "type": typ,
                    "length": int(length) if length else None,
                    "required": required == "Y",
                    "list": lst,
                    "notes": notes,
                }
            )
        if columns[0]["name"] != files[file_name]["pk"]:
            fail(f"{file_name}: the primary key {files[file_name]['pk']} is not the first column")
        specs.append(
            {
                "file": file_name,
                "table": table,
                "module": module,
                "description": files[file_name]["description"],
                "pk": files[file_name]["pk"],
                "columns": columns,
            }
        )
    return specs


def db_columns(spec):
    """The stored columns of a generated table, in order: dicts with db, type, length,
    nullable, default, doc, pk, spec (the spec column name or None)."""
    out = []
    for col in spec["columns"]:
        name = col["name"]
        if name == "ExportID":
            continue
        replaced = REPLACED.get((spec["file"], name))
        if replaced:
            out.extend(local_column(c, name) for c in replaced)
            continue
        doc = f"HUD `{name}`"
        if col["notes"]:
            doc += f": {col['notes']}"
        if col["list"] and col["list"] not in col["notes"]:
            doc += f" (list {col['list']})"
        out.append(
            {
                "db": db_name(name),
                "type": col["type"],
                "length": col["length"],
                "nullable": name == "UserID" or not col["required"],
                "default": None,
                "doc": doc,
                "pk": name == spec["pk"],
                "spec": name,
            }
        )
    out.extend(local_column(c, None) for c in LOCAL.get(spec["table"], []))
    names = [c["db"] for c in out]
    if len(set(names)) != len(names):
        fail(f"{spec['table']}: two columns map to one name")
    return out


def local_column(c, spec_name):
    db, typ, length, nullable, default, doc = c
    return {
        "db": db,
        "type": typ,
        "length": length,
        "nullable": nullable,
        "default": default,
        "doc": doc,
        "pk": False,
        "spec": spec_name,
    }


def mapping_rows(specs):
    rows = [["file", "column", "db_table", "db_column"]]
    for spec in specs:
        hand = HAND_WRITTEN.get(spec["file"])
        stored = {}
        if spec["module"]:
            for c in db_columns(spec):
                if c["spec"] and c["spec"] not in stored:
                    stored[c["spec"]] = c["db"]
        for col in spec["columns"]:
            name = col["name"]
            if hand is not None:
                if name not in hand:
                    fail(f"{spec['file']}.{name} missing from HAND_WRITTEN")
                db = hand[name]
            else:
                db = stored.get(name)
            rows.append([spec["file"], name, spec["table"] if db else "", db or ""])
    return rows


def rustfmt(text):
    """`text` as rustfmt (the project's rustfmt.toml) writes it."""
    try:
        done = subprocess.run(
            ["rustfmt", "--edition", "2024", "--config-path", str(ROOT / "rustfmt.toml"), "--emit", "stdout"],
            input=text,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        fail("rustfmt not found (rustup component add rustfmt)")
    if done.returncode != 0:
        fail(f"rustfmt failed:\n{done.stderr}")
    return done.stdout


def csv_text(rows):
    return "".join(",".join(r) + "\n" for r in rows)


# ---------------------------------------------------------------- migration (Rust) ----

COLUMN_FN = {
    "S": ("string_len", "string_len_null"),
    "I": ("integer", "integer_null"),
    "D": ("date", "date_null"),
    "T": ("timestamp_with_time_zone", "timestamp_with_time_zone_null"),
    "M": ("double", "double_null"),
    "B": ("boolean", "boolean_null"),
    "X": ("text", "text_null"),
}


def rust_literal(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def variant(db):
    """The DeriveIden variant for `db` and the attribute it needs, if any."""
    name = upper_camel(db)
    attr = None if heck_snake(name) == db else f'#[sea_orm(iden = "{db}")]'
    return name, attr


def migration_text(specs):
    out = [
        f"// @generated by {SCRIPT} from server/src/hmis_csv/spec — do not edit.",
        "//! The HUD tables' columns in export order (spec column names in snake case, the",
        "//! record metadata as created_at/updated_at/created_by/date_deleted, local columns",
        "//! last). Foreign keys and indexes are in the hand-written migration.",
        "",
        "use sea_orm_migration::{prelude::*, schema::*};",
        "",
    ]
    for spec in specs:
        if not spec["module"]:
            continue
        enum = upper_camel(spec["table"])
        cols = db_columns(spec)
        out.append(f"/// `{spec['table']}`: {spec['file']} ({spec['description']}).")
        out.append("#[derive(DeriveIden)]")
        out.append("#[allow(clippy::enum_variant_names)]")
        out.append(f"pub enum {enum} {{")
        if heck_snake(enum) != spec["table"]:
            out.append(f'    #[sea_orm(iden = "{spec["table"]}")]')
        out.append("    Table,")
        for c in cols:
            name, attr = variant(c["db"])
            if attr:
                out.append(f"    {attr}")
            out.append(f"    {name},")
        out.append("}")
        out.append("")
        out.append(f"/// The columns of `{spec['table']}`.")
        out.append(f"pub fn {spec['table']}() -> Vec<ColumnDef> {{")
        out.append("    vec![")
        for c in cols:
            fn = COLUMN_FN[c["type"]][1 if c["nullable"] else 0]
            name, _ = variant(c["db"])
            args = f"{enum}::{name}"
            if c["type"] == "S":
                args += f", {c['length']}"
            expr = f"{fn}({args})"
            if c["pk"]:
                expr += ".primary_key().take()"
            elif c["default"] is not None:
                expr += f".default({rust_literal(c['default'])}).take()"
            out.append(f"        {expr},")
        out.append("    ]")
        out.append("}")
        out.append("")
    return rustfmt("\n".join(out).rstrip("\n") + "\n")


# ------------------------------------------------------------------ entities (Rust) ----

RUST_TYPE = {
    "S": "String",
    "I": "i32",
    "D": "Date",
    "T": "DateTimeUtc",
    "M": "f64",
    "B": "bool",
    "X": "String",
}


def entity_region(spec):
    cols = db_columns(spec)
    eq = "" if any(c["type"] == "M" for c in cols) else ", Eq"
    out = [
        f"{BEGIN} by {SCRIPT} from server/src/hmis_csv/spec/{spec['file']}: edit the script,",
        f"// not this region. Hand-written code goes below the end marker.",
        f"//! {spec['description']}: HUD `{spec['file']}`, table `{spec['table']}`.",
        "",
        "use sea_orm::entity::prelude::*;",
        "",
    ]
    if not eq:
        out.append("/// Money (M) columns are `f64`, so the model is `PartialEq` only.")
    out.append(f"#[derive(Clone, Debug, PartialEq{eq}, DeriveEntityModel)]")
    out.append(f'#[sea_orm(table_name = "{spec["table"]}")]')
    out.append("pub struct Model {")
    for c in cols:
        out.append(f"    /// {c['doc']}")
        if c["pk"]:
            out.append("    #[sea_orm(primary_key, auto_increment = false)]")
        ty = RUST_TYPE[c["type"]]
        if c["nullable"]:
            ty = f"Option<{ty}>"
        out.append(f"    pub {c['db']}: {ty},")
    out.append("}")
    out.append(END)
    return rustfmt("\n".join(out) + "\n")


DEFAULT_TAIL = """
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
"""


def entity_text(spec, existing):
    region = entity_region(spec)
    if existing is None:
        return region + DEFAULT_TAIL
    if not existing.startswith(BEGIN):
        fail(f"{spec['module']}.rs does not start with the generated region")
    at = existing.find(END + "\n")
    if at < 0:
        fail(f"{spec['module']}.rs has no `{END}` line")
    return region + existing[at + len(END) + 1 :]


# ----------------------------------------------------------------------------- main ----


def outputs(specs):
    files = {COLUMNS_OUT: csv_text(mapping_rows(specs)), MIGRATION_OUT: migration_text(specs)}
    for spec in specs:
        if spec["module"]:
            path = ENTITY_DIR / f"{spec['module']}.rs"
            existing = path.read_text(encoding="utf-8") if path.exists() else None
            files[path] = entity_text(spec, existing)
    return files


def print_list(specs):
    for spec in specs:
        print(f"{spec['file']} -> {spec['table'] or '(not stored)'}")
        if spec["module"]:
            for c in db_columns(spec):
                size = f"({c['length']})" if c["length"] else ""
                null = "null" if c["nullable"] else "not null"
                src = c["spec"] or "(local)"
                print(f"  {src:45} {c['db']:45} {c['type']}{size} {null}")
        else:
            for row in mapping_rows([spec])[1:]:
                print(f"  {row[1]:45} {row[3] or '(not stored)'}")


def main(argv):
    args = set(argv[1:])
    if not args <= {"--check", "--list"} or len(args) > 1:
        fail("usage: gen-hud-model.py [--check | --list]")
    specs = load()
    if "--list" in args:
        print_list(specs)
        return 0
    stale = []
    for path, text in outputs(specs).items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            continue
        stale.append(path.relative_to(ROOT))
        if "--check" not in args:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if "--check" in args and stale:
        print("gen-hud-model: out of date: " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
