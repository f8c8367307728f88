"""Change and its effect: what a change to an org does to its external customers.

`diff` compares two analyzed orgs; `whatif` applies scenario changes to an org without
editing its file; `suggest` finds the single lead-time changes that help each customer most;
`revision` reads an org as it was at a git revision. See docs/change.md.
"""
