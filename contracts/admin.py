"""Contracts of the mock's own admin routes."""

from marshmallow.fields import Raw

from .base import StrictSchema, one_of
from .fields import Bool, Int, List, Nested, Str


class HealthSchema(StrictSchema):
    status = Str(validate=one_of("ok"))
    seed = Int()
    version = Str()


class ResetSchema(StrictSchema):
    status = Str(validate=one_of("ok"))
    seq = Int()  # the reset's place in the shared log


# --- webhooks ---

class WebhookSubscriptionSchema(StrictSchema):
    subscriptionType = Str()
    params = List(Nested(StrictSchema.from_dict({"name": Str(), "value": Str()})))


class WebhookSubscriberSchema(StrictSchema):
    subscriberName = Str()
    callbackUrl = Str()
    enabled = Bool()
    confirmed = Bool()
    confirmationCode = Str(allow_none=True)  # the code last sent and not yet used: what the receiver was sent
    subscriptions = List(Nested(WebhookSubscriptionSchema))


class WebhookDeliverySchema(StrictSchema):
    id = Int()
    eventSeq = Int()  # the write (shared log event) that caused it
    eventType = Str()
    subscriberName = Str()
    url = Str()
    payload = Raw(required=True)  # the body sent: {"type", "payloads"}
    status = Str(validate=one_of("pending", "sending", "delivered", "failed", "dropped", "refused", "cancelled"))
    attempts = Int()
    statusCode = Int(allow_none=True)
    error = Str(allow_none=True)
    createdAt = Str()
    nextTry = Str(allow_none=True)
    finishedAt = Str(allow_none=True)


class WebhooksSchema(StrictSchema):
    """GET /__admin/webhooks: the subscribers, and the deliveries with their outcome (oldest first)."""

    subscribers = List(Nested(WebhookSubscriberSchema))
    dropped = Int()  # deliveries dropped from a full queue (--webhook-queue), ever
    deliveries = List(Nested(WebhookDeliverySchema))
