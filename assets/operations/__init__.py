"""Operations evidence: soak and load, runbooks used in drills, the rollback drill, release gates."""
