"""The messages a framework file's problems are reported with (tests import these and assert them)."""

from __future__ import annotations

MSG_FILE_NOT_FOUND = "file not found"
MSG_FILE_UNREADABLE = "cannot be read: {error}"
MSG_NOT_UTF8 = "is not UTF-8 text"
MSG_EMPTY_FILE = "the file is empty"
MSG_YAML_SYNTAX = "is not valid YAML: {problem}"
MSG_TOP_LEVEL_NOT_MAPPING = "the top level must be a mapping of keys to values"
MSG_DUPLICATE_YAML_KEY = "key {key!r} appears more than once in this mapping"
MSG_TOO_LARGE = "the file expands to more than {limit} values (check its YAML aliases)"
MAX_EXPANDED_NODES = 200_000

MSG_MISSING = "is required but missing"
MSG_UNKNOWN_FIELD = "is not a recognised key here"
MSG_ONE_OF = "must be one of {expected} (got {got!r})"
MSG_WHOLE_NUMBER = "must be a whole number (got {got!r})"
MSG_AT_LEAST = "must be at least {limit} (got {got!r})"
MSG_DATE = "must be a date written YYYY-MM-DD (got {got!r})"
MSG_TEXT = "must be text (got {got!r})"
MSG_TRUE_FALSE = "must be true or false (got {got!r})"
MSG_LIST = "must be a list (got {got!r})"
MSG_MAPPING = "must be a mapping of keys to values (got {got!r})"
MSG_NOT_EMPTY = "must not be empty"
MSG_BAD_KEY = (
    "{got!r} is not a valid key: use lower-case letters, digits and underscores, starting with a letter"
)
MSG_BAD_REF = "{got!r} is not a valid ref: use letters, digits, '.', '_' or '-'"
MSG_BAD_ID = "{got!r} is not a valid framework id: use lower-case words joined by hyphens"
MSG_INVALID = "is invalid: {detail}"

MSG_DATES_OUT_OF_ORDER = "in_force_to ({to}) is before in_force_from ({from_})"
MSG_REVISION_VERSION_ORDER = "revision versions must increase: {version} follows {previous}"
MSG_REVISION_DATE_ORDER = (
    "revision dates must be in order: {date} is before the previous revision's {previous}"
)
MSG_REVISION_AFTER_VERSION = "revision note for version {revision} is newer than the file's version {version}"
MSG_LATEST_REVISION = (
    "the latest revision note is for version {revision}, but the file's version is {version}: "
    "add a revision note for version {version}"
)
MSG_DUPLICATE = "{what} {value!r} is already used at {other}"
MSG_UNKNOWN_PARENT = "parent {parent!r} is not the ref of any node"
MSG_PARENT_CYCLE = "parent chain forms a cycle: {chain}"
MSG_NEEDS_PARENT = "a {kind} must have a parent"
MSG_UNKNOWN_FROM = "{name!r} is neither an event nor a milestone of this framework"
MSG_DEPENDENCY_CYCLE = "dates depend on each other in a cycle: {chain}"
MSG_UNKNOWN_EVENT = "{name!r} is not an event of this framework"
MSG_UNKNOWN_MILESTONE = "{name!r} is not a milestone of this framework"
MSG_UNKNOWN_ESTIMATE = "{name!r} is neither a milestone nor another date event of this framework"
MSG_UNKNOWN_DEADLINE = "{name!r} is not a deadline key of this framework"
MSG_NOT_A_CHOICE_EVENT = "{name!r} is a date event, so it cannot be used in a condition"
MSG_UNKNOWN_CHOICE = "{value!r} is not a possible value of {event!r} (possible: {choices})"
MSG_ONE_LEAD = "only one team role can be the lead"
MSG_UNKNOWN_ORGANISATION = "{name!r} is not the organisation of any team role"
MSG_KEY_IS_EVENT = "deadline key {key!r} is also an event name: give the deadline a different key"
MSG_RESERVED_EVENT = "'outcome' is built in (its values are the outcome keys) and must not be declared"
MSG_MUST_BE_CONFIGURABLE = "a {confidence}-confidence deadline must be marked configurable: true"
MSG_UNKNOWN_STATE = "{name!r} is not a lifecycle state"
MSG_UNREACHABLE_STATE = "state {state!r} cannot be reached from the initial state {initial!r}"
MSG_NOT_WORKING_DAY_NOTIFICATION = "notification_weekday {weekday!r} is not a weekday"

# date rules of events (not_before, not_in_future)
MSG_DATE_RULE_ON_DECISION = "{name!r} is a decision (it has choices): only a date event can have {rule}"
MSG_DATE_RULES_NEED_SOURCE = "not_before and not_in_future need a source and a confidence"
MSG_DATE_ORDER_CYCLE = "dates must each come after the other, which no dates can do: {chain}"

# vocabularies (sectors, age phases, evidence sources, activity types, plan statuses)
MSG_UNKNOWN_TERM = "{code!r} is not one of this framework's {vocabulary} (codes: {codes})"

# regime rules: publication, sign-off, plans, visits and the national history
MSG_NOT_A_DATE_EVENT = "{name!r} is a decision (it has choices), not a date"
MSG_PUBLICATION_EVENT_NOT_REQUIRED = (
    "the publication state {state!r} must require its date event {event!r} (requires_event: {event})"
)
MSG_PUBLICATION_STATE_NOT_PUBLISHED = "published_states must include the publication state {state!r}"
MSG_NOT_AFTER_PUBLICATION = (
    "state {state!r} cannot be reached from the publication state {publication!r}, "
    "so it cannot count as published"
)
MSG_NOT_A_SIGN_OFF_ORGANISATION = "{name!r} is not one of the sign-off organisations ({organisations})"
MSG_NO_ACCEPTING_JUDGEMENT = (
    "no review judgement accepts the plan (accepts: true), so a plan of this document could never be complete"
)
MSG_ESCALATION_WITHOUT_REVIEW = (
    "a document with no review judgements cannot be escalated after failed reviews"
)
MSG_STATUS_TWO_MEANINGS = (
    "plan status {status!r} already means {first} in this document, so it cannot also mean {second}"
)
MSG_UNKNOWN_FINDING_KIND = "{name!r} is not a finding kind of this framework (finding kinds: {kinds})"
MSG_ONE_OVERALL_SCALE = "a visit can have only one overall judgement scale (one without judges)"
MSG_UNKNOWN_DOCUMENT = "{name!r} is not a follow-up document of this framework"
MSG_UNKNOWN_VISIT = "{name!r} is not a follow-up visit of this framework"
MSG_NOT_AN_OVERALL_SCALE = "{name!r} is not an overall judgement scale of the visit {visit!r}"
MSG_UNKNOWN_OPTION = "{name!r} is not an option of the judgement scale {scale!r}"
MSG_RESULTS_WITHOUT_SCALE = "results_figure and result_names need a result_scale"
MSG_RESERVED_FIGURE = "{name!r} is a figure every framework adds to: give this figure another name"

# postponing, and visit judgements that follow from each finding's
MSG_POSTPONE_NOT_TO_INITIAL = (
    "a move that postpones goes back to the initial state {initial!r}, not to {state!r}"
)
MSG_POSTPONE_WITHOUT_RULE = (
    "a move that postpones needs lifecycle.postponement: the event that holds the new date"
)
MSG_POSTPONED_DATE_NOT_ESTIMATED = (
    "the date {event!r} that the postponed state {state!r} requires must be estimated_by {planned!r}, "
    "so that its deadlines run from the new date"
)
MSG_IMPLIED_BY_NOT_OVERALL = "only an overall scale (one without judges) can follow other judgements"
MSG_NOT_A_FINDING_SCALE = "{name!r} is not a scale of this visit that judges each finding of a kind"
MSG_IMPLIED_WHEN_WITHOUT_RULE = "implied_when needs implied_by on its scale"
MSG_IMPLIED_WHEN_MISSING = "say for which share of the findings this option is given (implied_when)"
MSG_SHARE_NOT_IMPLIED = (
    "no option is given when {share} of the findings are judged {counting}: "
    "add {share} to one option's implied_when"
)

# regime rules a new version must declare (see rules.undeclared_rules)
MSG_RULE_NO_PUBLICATION = (
    "is required of a new version: the state that publishes the report, its date event and the "
    "states that count as published"
)
MSG_RULE_NO_SIGN_OFF = (
    "is required of a new version whose states require sign-off: the organisations that sign off"
)
MSG_RULE_NO_PLAN_STATUSES = (
    "is required of a new version: the plan statuses a plan starts in (opened) and has once submitted"
)
MSG_RULE_NO_ACTION_STATUSES = "is required of a new version: the statuses of a plan's actions, in order"
MSG_RULE_NO_JUDGEMENT_STATUS = "is required of a new version: the plan status this judgement leads to"
MSG_RULE_NO_POSTPONE = (
    "is required of a new version: whether this move back to the initial state postpones the "
    "inspection (postpone: true, with lifecycle.postponement) or not (postpone: false)"
)
MSG_RULE_NO_IMPLIED_BY = (
    "is required of a new version whose visit judges each finding: how those judgements decide the "
    "overall one (implied_by, and implied_when on each option)"
)
MSG_RULE_APPLIES_TO = (
    "is no longer read: write judges: <finding kind> for a scale that judges each finding of a kind, "
    "or nothing for an overall judgement"
)

# Team roles, signatories and the stages records are made in
MSG_UNKNOWN_GRADE = "{name!r} is not an inspector's grade: use one of {grades}"
MSG_GRADE_OTHER_ORGANISATION = "{name!r} is a grade of {grade_organisation}, not of {organisation}"
MSG_UNKNOWN_ROLE = "{name!r} is not a team role"
MSG_SIGNATORY_OTHER_ORGANISATION = (
    "the team role {role!r} belongs to {role_organisation}, not to {organisation}"
)
MSG_SIGN_OFF_AFTER_PUBLICATION = (
    "{state!r} counts as published: a report is signed off before it is published"
)
MSG_RECORD_TWICE = "the stages of {record!r} are given more than once"
