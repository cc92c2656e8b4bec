"""Starts localstripe for Sellout's harness and `make dev`.

localstripe's own entry point listens on every interface and keeps its state
in /tmp/localstripe.pickle, which every instance on the machine shares and
which it rewrites whole on every change. This launcher binds to one address
(127.0.0.1 by default) and either keeps state in memory only (tests) or in a
file of the caller's choosing (`make dev`). It also fills in response fields
that real Stripe always sends and localstripe omits (see fill_response_gaps),
and adds the few Stripe behaviours Sellout's payment code relies on that
localstripe lacks (see add_stripe_behaviour and idempotency_middleware):
idempotent replay, refunds bounded by what remains, the charge.refunded
event, acceptance of the Connect and confirmation parameters Sellout
sends, and the `account` of events about objects made on a connected account
(see stamp_accounts). Connect itself (accounts apart, fees moving) is still
not modelled.
"""

import argparse
import contextvars
import logging
import os
import pickle
import socket
from urllib.parse import parse_qsl

from aiohttp import web
from localstripe import resources, server
from localstripe.errors import UserError, json_response
from localstripe.webhooks import schedule_webhook


def fill_response_gaps():
    """Adds fields real Stripe always returns and localstripe leaves out,
    which typed clients (async-stripe) require. Values are what Stripe
    returns for card payments without manual capture."""
    original = resources.PaymentIntent._export

    def export(self, expand=None):
        obj = original(self, expand=expand)
        status = obj.get("status")
        # Stripe sends the latest charge as an id unless it is expanded.
        charge = obj.get("latest_charge")
        if isinstance(charge, dict) and "latest_charge" not in (expand or []):
            obj["latest_charge"] = charge["id"]
        error = obj.get("last_payment_error")
        if isinstance(error, dict):
            error.setdefault("type", "card_error")
        obj.setdefault("payment_method_types", ["card"])
        obj.setdefault("confirmation_method", "automatic")
        obj.setdefault("amount_received", obj["amount"] if status == "succeeded" else 0)
        obj.setdefault(
            "amount_capturable", obj["amount"] if status == "requires_capture" else 0
        )
        return obj

    resources.PaymentIntent._export = export


def add_stripe_behaviour():
    """Stripe behaviour that localstripe lacks and Sellout's payment code
    relies on (workers/src/payments):

    - PaymentIntents accept `application_fee_amount` (kept and returned, as
      Stripe does; no fee is collected: there is no Connect) and
      `automatic_payment_methods` (accepted and ignored).
    - Refunds accept `refund_application_fee` (ignored: no fee was taken),
      are refused beyond what remains unrefunded, with Stripe's codes
      `charge_already_refunded` and `amount_too_large`, refund what remains
      when no amount is given (localstripe refunded the whole charge again),
      and send `charge.refunded` with the charge, as Stripe does.
    """
    pi_init = resources.PaymentIntent.__init__

    def payment_intent_init(
        self, application_fee_amount=None, automatic_payment_methods=None, **kwargs
    ):
        fee = resources.try_convert_to_int(application_fee_amount)
        if fee is not None and (type(fee) is not int or fee < 0):
            raise UserError(400, "Bad request")
        pi_init(self, **kwargs)
        self.application_fee_amount = fee

    resources.PaymentIntent.__init__ = payment_intent_init

    refund_init = resources.Refund.__init__

    def refund_with_limits(
        self, charge=None, payment_intent=None, amount=None,
        refund_application_fee=None, **kwargs
    ):
        charge_id = charge
        if charge is None and isinstance(payment_intent, str):
            pi = resources.PaymentIntent._api_retrieve(payment_intent)
            if pi.latest_charge is not None:
                charge_id = pi.latest_charge.id
        if isinstance(charge_id, str):
            ch = resources.Charge._api_retrieve(charge_id)
            remaining = ch.amount - ch.amount_refunded
            if remaining <= 0:
                raise UserError(
                    400,
                    "Charge %s has already been refunded." % ch.id,
                    {"code": "charge_already_refunded"},
                )
            wanted = resources.try_convert_to_int(amount)
            if wanted is None:
                amount = remaining
            elif type(wanted) is int and wanted > remaining:
                raise UserError(
                    400,
                    "Refund amount (%d) is greater than unrefunded amount on "
                    "charge (%d)" % (wanted, remaining),
                    {"code": "amount_too_large", "param": "amount"},
                )
        refund_init(
            self, charge=charge, payment_intent=payment_intent, amount=amount, **kwargs
        )
        refunded = resources.Charge._api_retrieve(self.charge)
        schedule_webhook(resources.Event("charge.refunded", refunded))

    resources.Refund.__init__ = refund_with_limits


# The `Stripe-Account` of the request being served.
_account = contextvars.ContextVar("stripe_account", default=None)


@web.middleware
async def account_middleware(request, handler):
    """Remembers the request's `Stripe-Account` while it is served."""
    token = _account.set(request.headers.get("Stripe-Account") or None)
    try:
        return await handler(request)
    finally:
        _account.reset(token)


def stamp_accounts():
    """Stripe Connect's webhooks: an event about an object made on a
    connected account (a request with `Stripe-Account`) carries that
    account's id in `account`; one about the platform's own objects has
    none. Sellout refuses payment events from any account but the order's,
    so its tests need this. Objects remember the account they were made
    on; events take it from their object."""
    object_init = resources.StripeObject.__init__

    def init(self, *args, **kwargs):
        object_init(self, *args, **kwargs)
        self._account = _account.get()

    resources.StripeObject.__init__ = init

    event_init = resources.Event.__init__

    def event_with_account(self, type, data):
        event_init(self, type, data)
        self.account = getattr(data, "_account", None) or _account.get()

    resources.Event.__init__ = event_with_account


# Stripe keeps an idempotent request's first answer for 24 hours, per key and
# account; here for the life of the process.
_idempotent = {}
_in_flight = set()


def idempotency_error(status, message):
    return json_response(
        {"error": {"type": "idempotency_error", "message": message}}, status=status
    )


@web.middleware
async def idempotency_middleware(request, handler):
    """Stripe's `Idempotency-Key`: a POST repeated with the same key (for the
    same secret key and `Stripe-Account`) gets the first answer back, marked
    `Idempotent-Replayed: true`, and does nothing again; with other
    parameters it is refused (400, `idempotency_error`); while the first is
    still running it is refused with 409. As at Stripe, answers of requests
    refused before anything was done (400, 401, 404, 429) are not kept, so
    they can be retried; successes and card declines (402) are."""
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key:
        return await handler(request)
    scope = (
        request.headers.get("Authorization", ""),
        request.headers.get("Stripe-Account", ""),
        key,
    )
    # Parameters compared as Stripe does, not byte for byte: clients may
    # send the same parameters in another order (async-stripe's metadata is
    # a HashMap).
    body = (await request.read()).decode("utf-8", "replace")
    fingerprint = (
        request.path,
        tuple(sorted(parse_qsl(request.query_string, keep_blank_values=True))),
        tuple(sorted(parse_qsl(body, keep_blank_values=True))),
    )
    saved = _idempotent.get(scope)
    if saved is not None:
        if saved[0] != fingerprint:
            return idempotency_error(
                400,
                "Keys for idempotent requests can only be used with the same "
                "parameters they were first used with. Try using a key other "
                "than '%s' if you meant to execute a different request." % key,
            )
        _, status, body, content_type = saved
        replay = web.Response(status=status, body=body, content_type=content_type)
        replay.headers["Idempotent-Replayed"] = "true"
        return replay
    if scope in _in_flight:
        return idempotency_error(
            409,
            "There is currently another in-progress request using this "
            "Idempotent Key (that probably means you submitted twice, and the "
            "other request is still going through): %s. Please try again "
            "later." % key,
        )
    _in_flight.add(scope)
    try:
        try:
            response = await handler(request)
        except UserError as e:
            response = e.to_response()
        if isinstance(response, web.Response) and (
            200 <= response.status < 300 or response.status == 402
        ):
            _idempotent[scope] = (
                fingerprint,
                response.status,
                response.body,
                response.content_type,
            )
        return response
    finally:
        _in_flight.discard(scope)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--port", type=int, required=True, help="port to bind")
    parser.add_argument(
        "--state-file",
        help="keep state across restarts in this file (default: memory only)",
    )
    args = parser.parse_args()

    if args.state_file:
        path = args.state_file

        def load(self):
            try:
                with open(path, "rb") as f:
                    old = pickle.load(f)
            except FileNotFoundError:
                return
            self.clear()
            self.update(old)

        def dump(self):
            tmp = path + ".tmp"
            with open(tmp, "wb") as f:
                pickle.dump(dict(self), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)

        resources.Store.try_load_from_disk = load
        resources.Store.dump_to_disk = dump
        resources.store.try_load_from_disk()
    else:
        resources.Store.dump_to_disk = lambda self: None

    fill_response_gaps()
    add_stripe_behaviour()
    stamp_accounts()
    # Inside error_middleware (first), outside authentication and the store.
    server.app.middlewares.insert(1, idempotency_middleware)
    server.app.middlewares.insert(1, account_middleware)
    logging.basicConfig(level=logging.INFO)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    print(f"localstripe listening on http://{args.host}:{args.port}", flush=True)
    web.run_app(server.app, sock=sock, access_log=None, print=None)


if __name__ == "__main__":
    main()
