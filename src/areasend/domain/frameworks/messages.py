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

# vocabularies (sectors, age phases, evidence sources, activity types, plan statuses)
MSG_UNKNOWN_TERM = "{code!r} is not one of this framework's {vocabulary} (codes: {codes})"
