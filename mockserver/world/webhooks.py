"""iSpring webhook subscribers in the world: who is registered, at which URL, confirmed or not, enabled or not, and
subscribed to which events. Every change is one event of the shared log, so every worker agrees on them; what is
delivered to them, and when, is the outbox's (state.py) and mockserver/webhooks/.

The docs' steps (ispringhelpdocs 62863671): register a subscriber with its callback URL; have a confirmation code
sent to that URL and confirm it ("At this stage, the integration is active"); subscribe it to event types; enable,
disable, change its settings (a new URL must be confirmed again), remove it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from ..errors import BadRequestError, MockError
from .ids import code, rng_for
from .store import Unchanged, World, applies, loads

SUBSCRIBER_SAVED = "ispring.webhook_subscriber_saved"  # registered, confirmed, enabled, disabled, settings, subscriptions
CODE_SENT = "ispring.webhook_code_sent"  # a new confirmation code, sent to the subscriber's URL
SUBSCRIBER_REMOVED = "ispring.webhook_subscriber_removed"

# The spec's Subscription.subscriptionType, in its order.
SUBSCRIPTION_TYPES = (
    "USER_REGISTERED", "LEARNERS_ENROLLED_IN_COURSE", "TRAINING_MEETING_ADDED", "TRAINING_MEETING_REMOVED",
    "TRAINING_MEETING_UPDATED", "TRAINING_SESSION_PARTICIPANTS_ADDED", "TRAINING_SESSION_PARTICIPANT_REMOVED",
    "COURSE_COMPLETED_SUCCESSFULLY", "COURSE_STATUS_CHANGED", "COURSE_ITEM_COMPLETED_SUCCESSFULLY",
    "COURSE_ITEM_STATUS_CHANGED",
)
# The filters each event type takes (docs, "Adding a Subscription" 62863687): subscription.params names.
SUBSCRIPTION_PARAMS = {
    "LEARNERS_ENROLLED_IN_COURSE": ("userIds", "courseIds"),
    "TRAINING_SESSION_PARTICIPANTS_ADDED": ("userIds",),
    "TRAINING_SESSION_PARTICIPANT_REMOVED": ("userIds",),
    "COURSE_COMPLETED_SUCCESSFULLY": ("userIds", "courseIds"),
    "COURSE_ITEM_COMPLETED_SUCCESSFULLY": ("userIds", "courseItemIds"),
    "COURSE_STATUS_CHANGED": ("userIds", "courseIds"),
    "COURSE_ITEM_STATUS_CHANGED": ("userIds", "courseItemIds"),
}
MAX_LENGTH = 255  # the docs: subscriberName, callbackUrl and secret "can have up to 255 characters"

# The docs' sample subscriber (POST /webhook/register's sample request), registered in every world and awaiting
# confirmation: a code was sent to its URL, which is not one the mock calls back by default (--webhook-hosts), and
# as it is unconfirmed no event is sent to it. It gives the subscriber rows a record to act on in a pristine world.
SAMPLE = {"name": "name", "callback_url": "https://client.service.com/callback-url", "secret": "secret",
          "subscriptions": [{"subscriptionType": "USER_REGISTERED", "params": []}]}


@dataclass(frozen=True)
class Subscriber:
    subscriber_name: str
    callback_url: str
    secret: str | None = None
    enabled: bool = True  # subscriberStatus ACTIVE: "Once created, the subscriber is active"
    confirmed: bool = False  # confirmationStatus
    code: str | None = None  # the confirmation code last sent ("The code(s) sent previously will not work")
    subscriptions: list[dict] = field(default_factory=list)  # [{"subscriptionType", "params": [{"name", "value"}]}]


class SubscriberNotFoundError(MockError):
    """The spec's 404 of the /webhook/* rows, in the docs' words."""

    status = 404

    def __init__(self, what: str = "Subscriber"):
        super().__init__(f"{what} not found")


@loads
def _load(world: World) -> None:
    world.subscribers = [Subscriber(SAMPLE["name"], SAMPLE["callback_url"], SAMPLE["secret"],
                                    code=_new_code(world.seed, "sample"), subscriptions=SAMPLE["subscriptions"])]


def _new_code(seed: int, where: str) -> str:
    return code(rng_for(seed, "webhook-code", where), 6, "0123456789")


# --- queries --------------------------------------------------------------------------------------------------------


def subscriber(world: World, name: str) -> Subscriber:
    found = next((s for s in list(world.subscribers) if s.subscriber_name == name), None)
    if found is None:
        raise SubscriberNotFoundError()
    return found


def receivers(world: World, subscription_type: str) -> list[tuple[Subscriber, dict]]:
    """The subscribers an event of this type goes to, each with its subscription: enabled, confirmed, subscribed."""
    return [(s, sub) for s in list(world.subscribers) if s.enabled and s.confirmed
            for sub in s.subscriptions if sub["subscriptionType"] == subscription_type]


# --- writes ---------------------------------------------------------------------------------------------------------


def _checked_text(name: str, value: str) -> str:
    if not value.strip():
        raise BadRequestError(f"{name} must not be empty")
    if len(value) > MAX_LENGTH:
        raise BadRequestError(f"{name} can have up to {MAX_LENGTH} characters")
    return value


def register(world: World, state, name: str, callback_url: str, secret: str | None) -> None:
    """A new subscriber, enabled and unconfirmed. `callback_url` is checked by the caller (its host is a setting)."""

    def decide(w: World) -> dict:
        _checked_text("subscriberName", name)
        _checked_text("callbackUrl", callback_url)
        if any(s.subscriber_name == name for s in list(w.subscribers)):
            # The docs: "A subscriber name cannot be repeated within the same account."
            raise BadRequestError(f"subscriberName {name} is already registered")
        return {"subscriber": asdict(Subscriber(name, callback_url, _secret(secret, None)))}

    world.commit(state, SUBSCRIBER_SAVED, decide)


def _secret(given: str | None, current: str | None) -> str | None:
    """Left out: as it was; empty: none (requests go unsigned); else the new secret."""
    if given is None:
        return current
    return _checked_text("secret", given) if given else None


def _saved(found: Subscriber, new: Subscriber) -> dict:
    """The SUBSCRIBER_SAVED payload of `new`, Unchanged when it is `found` as it is."""
    payload = {"subscriber": asdict(new)}
    return Unchanged(payload) if new == found else payload


def change_settings(world: World, state, name: str, callback_url: str, secret: str | None) -> None:
    """A new URL must be confirmed again (the docs); the secret as _secret says."""

    def decide(w: World) -> dict:
        found = subscriber(w, name)
        _checked_text("callbackUrl", callback_url)
        moved = callback_url != found.callback_url
        return _saved(found, replace(found, callback_url=callback_url, secret=_secret(secret, found.secret),
                                     confirmed=found.confirmed and not moved, code=None if moved else found.code))

    world.commit(state, SUBSCRIBER_SAVED, decide)


def send_code(world: World, state, name: str) -> str:
    """A new confirmation code for the subscriber (sent to its URL by the outbox); the one sent before stops working."""

    def decide(w: World) -> dict:
        found = subscriber(w, name)
        return {"subscriber": asdict(replace(found, code=_new_code(w.seed, f"{w.seq + 1}/{name}")))}

    return world.commit(state, CODE_SENT, decide)["subscriber"]["code"]


def confirm(world: World, state, name: str, given: str) -> None:
    def decide(w: World) -> dict:
        found = subscriber(w, name)
        if found.code is None or given != found.code:
            raise BadRequestError("code is not the confirmation code last sent to the subscriber's callbackUrl")
        return {"subscriber": asdict(replace(found, confirmed=True, code=None))}

    world.commit(state, SUBSCRIBER_SAVED, decide)


def set_enabled(world: World, state, name: str, enabled: bool) -> None:
    def decide(w: World) -> dict:
        found = subscriber(w, name)
        return _saved(found, replace(found, enabled=enabled))

    world.commit(state, SUBSCRIBER_SAVED, decide)


def subscribe(world: World, state, name: str, subscription_type: str, params: list[dict]) -> None:
    """Subscribe to an event type; subscribing again to a type the subscriber has replaces its filters."""

    def decide(w: World) -> dict:
        found = subscriber(w, name)
        if subscription_type not in SUBSCRIPTION_TYPES:
            raise BadRequestError(f"subscription.subscriptionType must be one of {', '.join(SUBSCRIPTION_TYPES)}")
        allowed = SUBSCRIPTION_PARAMS.get(subscription_type, ())
        for param in params:
            if param["name"] not in allowed:
                raise BadRequestError(f"subscription.params: {subscription_type} takes "
                                      f"{', '.join(allowed) or 'no parameters'}, not {param['name']}")
        entry = {"subscriptionType": subscription_type, "params": params}
        kept = [s for s in found.subscriptions if s["subscriptionType"] != subscription_type]
        return _saved(found, replace(found, subscriptions=[*kept, entry]))

    world.commit(state, SUBSCRIBER_SAVED, decide)


def unsubscribe(world: World, state, name: str, subscription_type: str) -> None:
    def decide(w: World) -> dict:
        found = subscriber(w, name)
        kept = [s for s in found.subscriptions if s["subscriptionType"] != subscription_type]
        if len(kept) == len(found.subscriptions):
            raise SubscriberNotFoundError("Subscription")  # the spec's 404 'Subscription not found'
        return {"subscriber": asdict(replace(found, subscriptions=kept))}

    world.commit(state, SUBSCRIBER_SAVED, decide)


def remove(world: World, state, name: str) -> None:
    def decide(w: World) -> dict:
        return {"subscriber_name": subscriber(w, name).subscriber_name}

    world.commit(state, SUBSCRIBER_REMOVED, decide)


# --- applying the log -----------------------------------------------------------------------------------------------


@applies(SUBSCRIBER_SAVED)
@applies(CODE_SENT)
def _apply_saved(world: World, payload: dict) -> None:
    saved = Subscriber(**payload["subscriber"])
    others = [s for s in world.subscribers if s.subscriber_name != saved.subscriber_name]
    if len(others) == len(world.subscribers):
        world.subscribers = [*others, saved]
    else:  # in place, so a list keeps its order
        world.subscribers = [saved if s.subscriber_name == saved.subscriber_name else s for s in world.subscribers]


@applies(SUBSCRIBER_REMOVED)
def _apply_removed(world: World, payload: dict) -> None:
    world.subscribers = [s for s in world.subscribers if s.subscriber_name != payload["subscriber_name"]]
