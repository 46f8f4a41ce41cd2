//! Unit tests of the loader, from in-memory text: a valid small decision,
//! and each kind of error at its exact `file:line:col`.

use super::*;
use crate::model::weights::LevelSpec;

pub(super) const FRAME: &str = r#"title = "Test decision"
question = "Which initiative?"
decided_by = "Unit tests"
decision_date = 2019-07-01

[region]
name = "Testland"
municipalities = [{ name = "Aa", population = 1000 }, { name = "Bb", population = 2000 }]

[simulation]
seed = 7
iterations = 1000
"#;

pub(super) const CRITERIA: &str = r#"[[group]]
id = "cost"
name = "Cost"

[[group]]
id = "reach"
name = { nl = "Bereik", en = "Reach" }

[[criterion]]
id = "annual_cost"
group = "cost"
name = "Annual cost"
unit = "EUR/year"
better = "lower"
scale = { worst = 1000.0, best = 0.0 }
money = true

[[criterion]]
id = "share"
group = "reach"
name = "Share"
unit = "%"
better = "higher"
scale = { worst = 0.0, best = 100.0 }

[[criterion]]
id = "speed"
group = "reach"
name = "Speed"
unit = "minutes"
better = "lower"
scale = { points = [[0, 1.0], [30, 0.5], [60, 0]] }

[[profile]]
id = "base"
name = "Base"
groups = { cost = [0.2, 0.6], reach = [0.4, 0.8] }
criteria.reach = ["share", "speed"]
"#;

pub(super) const ALPHA: &str = r#"id = "alpha"
name = "Alpha"
summary = "The first."

[values]
annual_cost = { value = 500.0, source = "Test, 2019" }
share = { triangular = [10.0, 20.0, 30.0], assumption = "Estimate" }
speed = { normal = { mean = 10.0, sd = 2.0 }, assumption = "Estimate" }
"#;

pub(super) const BETA: &str = r#"id = "beta"
name = "Beta"
summary = "The second."

[values]
annual_cost = { per_inhabitant = { value = 0.1 }, source = "Test, 2019" }
share = { uniform = [30.0, 50.0], assumption = "Estimate" }
speed = { value = 15.0, source = "Test, 2019" }
"#;

/// The valid decision with the file `rel` replaced by `text` (or added).
pub(super) fn with(rel: &str, text: &str) -> Sources {
    let mut s = Sources::from_texts([
        ("afweging.toml", FRAME),
        ("criteria/c.toml", CRITERIA),
        ("initiatives/alpha.toml", ALPHA),
        ("initiatives/beta.toml", BETA),
    ]);
    s.insert(rel, text.as_bytes());
    s
}

/// The valid decision with `from` replaced by `to` in the file `rel`.
pub(super) fn edit(rel: &str, from: &str, to: &str) -> Sources {
    let base = match rel {
        "afweging.toml" => FRAME,
        "criteria/c.toml" => CRITERIA,
        "initiatives/alpha.toml" => ALPHA,
        "initiatives/beta.toml" => BETA,
        _ => panic!("no base file {rel}"),
    };
    assert_eq!(
        base.matches(from).count(),
        1,
        "`{from}` is not unique in {rel}"
    );
    with(rel, &base.replace(from, to))
}

/// Every error as `location: message`.
pub(super) fn errors(sources: &Sources) -> Vec<String> {
    match load_from(sources) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .diagnostics()
            .errors()
            .map(|d| format!("{}: {}", d.location(), d.message))
            .collect(),
    }
}

/// Asserts that the only error is at `place` and its message contains `text`.
#[track_caller]
pub(super) fn only_error(sources: Sources, place: &str, text: &str) {
    let errs = errors(&sources);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].starts_with(&format!("{place}: ")) && errs[0].contains(text),
        "expected `{place}: …{text}…`, got {errs:#?}"
    );
}

#[test]
fn a_valid_small_decision_loads_from_memory() {
    let d = load_from(&with("README.txt", "not an input")).unwrap();
    assert_eq!(d.title, "Test decision");
    assert_eq!(d.region.population(), 3000);
    assert_eq!(
        d.groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(),
        ["cost", "reach"]
    );
    assert_eq!(d.groups[1].criteria, vec![1, 2]);
    assert_eq!(d.money_criterion(), Some(0));
    assert_eq!(d.initiatives.len(), 2);
    assert_eq!(d.initiatives[1].values[0].most_likely(), 300.0);
    let p = &d.profiles[0];
    assert_eq!(p.groups.items(), ["cost", "reach"]);
    assert_eq!(
        p.groups.spec(),
        &LevelSpec::Bounds(vec![(0.2, 0.6), (0.4, 0.8)])
    );
    assert_eq!(p.criteria[0].spec(), &LevelSpec::Unknown(1));
    assert_eq!(p.criteria[1].spec(), &LevelSpec::Ordinal(vec![0, 1]));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_eq!(d.input_hash.len(), 64);
    // The hash covers the inputs, not other files.
    let plain = load_from(&with("initiatives/beta.toml", BETA)).unwrap();
    assert_eq!(plain.input_hash, d.input_hash);
    let changed = load_from(&edit("initiatives/beta.toml", "30.0, 50.0", "30.0, 51.0")).unwrap();
    assert_ne!(changed.input_hash, d.input_hash);
}

#[test]
fn syntax_error() {
    only_error(
        edit(
            "initiatives/alpha.toml",
            "name = \"Alpha\"",
            "name = \"Alpha",
        ),
        "initiatives/alpha.toml:2:14",
        "TOML syntax error",
    );
}

#[test]
fn unknown_key_with_suggestion() {
    let s = edit(
        "criteria/c.toml",
        "unit = \"%\"",
        "unit = \"%\"\ndescripton = \"x\"",
    );
    only_error(
        s.clone(),
        "criteria/c.toml:23:1",
        "unknown key `descripton`",
    );
    let d = load_from(&s).unwrap_err();
    let help = d.diagnostics().errors().next().unwrap().help.clone();
    assert_eq!(help.as_deref(), Some("did you mean `description`?"));
}

#[test]
fn wrong_type() {
    only_error(
        edit("criteria/c.toml", "unit = \"%\"", "unit = 5"),
        "criteria/c.toml:22:8",
        "`unit` must be a string, found an integer",
    );
}

#[test]
fn unknown_ids() {
    only_error(
        edit("initiatives/beta.toml", "\nshare = ", "\nshar = "),
        "initiatives/beta.toml:7:1",
        "unknown criterion `shar`",
    );
    only_error(
        edit(
            "criteria/c.toml",
            "group = \"reach\"\nname = \"Share\"",
            "group = \"rech\"\nname = \"Share\"",
        ),
        "criteria/c.toml:20:9",
        "criterion `share` names an unknown group `rech`",
    );
    only_error(
        edit(
            "criteria/c.toml",
            "criteria.reach = [\"share\", \"speed\"]",
            "criteria.reach = [\"share\", \"sped\"]",
        ),
        "criteria/c.toml:38:28",
        "unknown id `sped` in `criteria.reach`",
    );
    let d = load_from(&with("README.txt", "")).unwrap();
    let e = d.profile(Some("bas")).unwrap_err();
    assert!(
        e.starts_with("unknown profile `bas`: did you mean `base`?"),
        "{e}"
    );
}

#[test]
fn duplicate_ids() {
    only_error(
        edit("initiatives/beta.toml", "id = \"beta\"", "id = \"alpha\""),
        "initiatives/beta.toml:1:6",
        "duplicate initiative id `alpha`",
    );
    // The second `share` is dropped, so the references to `speed` follow.
    let errs = errors(&edit("criteria/c.toml", "id = \"speed\"", "id = \"share\""));
    assert_eq!(
        errs[0], "criteria/c.toml:27:6: duplicate criterion id `share`",
        "{errs:#?}"
    );
    let errs = errors(&edit("criteria/c.toml", "id = \"reach\"", "id = \"cost\""));
    assert_eq!(errs[0], "criteria/c.toml:6:6: duplicate group id `cost`");
}

#[test]
fn invalid_distributions() {
    only_error(
        edit(
            "initiatives/alpha.toml",
            "[10.0, 20.0, 30.0]",
            "[10.0, 40.0, 30.0]",
        ),
        "initiatives/alpha.toml:7:24",
        "the value of `share`",
    );
    only_error(
        edit("initiatives/alpha.toml", "sd = 2.0", "sd = -2.0"),
        "initiatives/alpha.toml:8:20",
        "the value of `speed`",
    );
    only_error(
        edit("initiatives/alpha.toml", "value = 500.0", "value = nan"),
        "initiatives/alpha.toml:6:25",
        "only finite numbers are allowed",
    );
}

#[test]
fn infeasible_bounds_name_the_items() {
    // Each item's own problem at the item, all of them.
    let errs = errors(&edit(
        "criteria/c.toml",
        "cost = [0.2, 0.6], reach = [0.4, 0.8]",
        "cost = [0.6, 0.2], reach = [0.4, 1.8]",
    ));
    assert_eq!(
        errs,
        [
            "criteria/c.toml:37:19: `groups`: the lower bound of `cost` (0.6) is above its upper bound (0.2): swap or correct them",
            "criteria/c.toml:37:39: `groups`: the bounds of `reach` are [0.4, 1.8], outside 0 to 1: bounds are on shares, so keep them between 0 and 1",
        ]
    );
    // The sum of the lower bounds: at the level, naming the items.
    only_error(
        edit(
            "criteria/c.toml",
            "cost = [0.2, 0.6], reach = [0.4, 0.8]",
            "cost = [0.7, 0.9], reach = [0.4, 0.8]",
        ),
        "criteria/c.toml:37:10",
        "the lower bounds of `cost`, `reach` add up to 1.1, more than 1",
    );
    only_error(
        edit(
            "criteria/c.toml",
            "cost = [0.2, 0.6], reach = [0.4, 0.8]",
            "cost = [0.0, 0.1], reach = [0.4, 0.8]",
        ),
        "criteria/c.toml:37:10",
        "the upper bounds of `cost`, `reach` add up to 0.9, less than 1",
    );
}

#[test]
fn missing_value() {
    only_error(
        edit(
            "initiatives/beta.toml",
            "speed = { value = 15.0, source = \"Test, 2019\" }\n",
            "",
        ),
        "initiatives/beta.toml:5:1",
        "missing value for criterion `speed`",
    );
}

#[test]
fn money_criterion() {
    // Absent: a warning, not an error.
    let d = load_from(&edit("criteria/c.toml", "money = true\n", "")).unwrap();
    assert_eq!(d.money_criterion(), None);
    assert!(d
        .warnings
        .iter()
        .any(|w| w.message.contains("money")
            && w.help.as_deref().unwrap_or("").contains("money = true")));
    // Two: an error at the second.
    only_error(
        edit(
            "criteria/c.toml",
            "unit = \"%\"",
            "unit = \"%\"\nmoney = true",
        ),
        "criteria/c.toml:23:9",
        "criterion `share` is marked `money = true`, but `annual_cost` already is",
    );
    // On a scale that is not linear.
    let text = CRITERIA
        .replace("money = true\n", "")
        .replace("unit = \"minutes\"", "unit = \"minutes\"\nmoney = true");
    only_error(
        with("criteria/c.toml", &text),
        "criteria/c.toml:30:9",
        "the money criterion needs a linear scale, but this one is piecewise",
    );
    // … and no cascade: the flag is there, so no warning that it is missing.
    let e = load_from(&with("criteria/c.toml", &text)).unwrap_err();
    assert_eq!(e.diagnostics().warnings().count(), 0);
    // Not a boolean.
    only_error(
        edit("criteria/c.toml", "money = true", "money = \"yes\""),
        "criteria/c.toml:16:9",
        "`money` must be true or false, found a string",
    );
}

#[test]
fn colliding_sensitivity_ids() {
    // `weights` with a criterion named like a group: `weights.reach` twice.
    let crit = CRITERIA
        .replace("id = \"share\"", "id = \"reach\"")
        .replace("[\"share\", \"speed\"]", "[\"reach\", \"speed\"]");
    let alpha = ALPHA
        .replace("id = \"alpha\"", "id = \"weights\"")
        .replace("\nshare = ", "\nreach = ");
    let beta = BETA.replace("\nshare = ", "\nreach = ");
    let mut s = with("criteria/c.toml", &crit);
    s.insert("initiatives/alpha.toml", alpha.as_bytes());
    s.insert("initiatives/beta.toml", beta.as_bytes());
    only_error(
        s.clone(),
        "initiatives/alpha.toml:1:6",
        "initiative id `weights` collides with the weights of group `reach`",
    );
    // Without the criterion `reach` nothing collides: `weights` is fine.
    assert!(errors(&edit(
        "initiatives/alpha.toml",
        "id = \"alpha\"",
        "id = \"weights\""
    ))
    .is_empty());
    // The Sobol output `difference`.
    only_error(
        edit(
            "initiatives/beta.toml",
            "id = \"beta\"",
            "id = \"difference\"",
        ),
        "initiatives/beta.toml:1:6",
        "collides with the sensitivity output `difference`",
    );
}

#[test]
fn missing_files_and_folders() {
    let mut s = Sources::from_texts([("criteria/c.toml", CRITERIA)]);
    assert_eq!(
        errors(&s),
        ["afweging.toml: missing afweging.toml: this is not a decision folder"]
    );
    s.insert("afweging.toml", FRAME.as_bytes());
    assert_eq!(
        errors(&s),
        ["initiatives: the `initiatives/` folder has no .toml files"]
    );
    s.insert("initiatives/a.toml", b"id = \"caf\xe9\"".to_vec());
    assert_eq!(
        errors(&s),
        ["initiatives/a.toml:1:10: the file is not valid UTF-8 (bad byte at offset 9)"]
    );
}
