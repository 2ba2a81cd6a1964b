"""SRD 5.1 rules: the facts (`pack`), the numbers (`stats`), what is legal (`spells`, `equipment`,
`legality`). Code computes every number here; a provider only ever picks among what this allows."""
