//! Ids whose sensitivity keys would collide.
//!
//! The JSON keys of sensitivity inputs are `<initiative>.<criterion>`,
//! `weights`, `weights.<group>` and `group:<group>`; the Sobol outputs are
//! the initiative ids and `difference` (README, "What the numbers mean").
//! Ids may contain only letters, digits, `_` and `-`, so `.` and `:` split a
//! key unambiguously, and only two cases collide:
//! - an initiative `weights` while some criterion has the id of a group `g`:
//!   `weights.g` is both that initiative's value input and the weights
//!   within `g`;
//! - an initiative `difference`: its Sobol output is the leader − runner-up
//!   difference's key.
//!
//! Exactly those ids are rejected; every other folder keeps loading.

/// Why the initiative id `id` would make two sensitivity keys collide, given
/// the group and criterion ids, or `None`.
pub(super) fn initiative_collision(id: &str, groups: &[&str], criteria: &[&str]) -> Option<String> {
    match id {
        "weights" => {
            let both = criteria.iter().find(|c| groups.contains(c))?;
            Some(format!(
                "initiative id `weights` collides with the weights of group `{both}`: the sensitivity input `weights.{both}` would mean both this initiative's value on criterion `{both}` and the weights within group `{both}`"
            ))
        }
        "difference" => Some(
            "initiative id `difference` collides with the sensitivity output `difference` (leader − runner-up)".to_string(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_colliding_ids_are_rejected() {
        let groups = ["cost", "reach"];
        assert!(initiative_collision("weights", &groups, &["reach", "speed"]).is_some());
        assert!(initiative_collision("weights", &groups, &["annual_cost", "speed"]).is_none());
        assert!(initiative_collision("difference", &groups, &["speed"]).is_some());
        for ok in ["burgernet", "weights2", "group", "weight", "Weights"] {
            assert!(
                initiative_collision(ok, &groups, &["reach"]).is_none(),
                "{ok}"
            );
        }
    }
}
