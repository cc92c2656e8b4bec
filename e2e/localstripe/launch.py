"""Starts localstripe for Sellout's harness and `make dev`.

localstripe's own entry point listens on every interface and keeps its state
in /tmp/localstripe.pickle, which every instance on the machine shares and
which it rewrites whole on every change. This launcher binds to one address
(127.0.0.1 by default) and either keeps state in memory only (tests) or in a
file of the caller's choosing (`make dev`). It also fills in response fields
that real Stripe always sends and localstripe omits (see fill_response_gaps).
"""

import argparse
import logging
import os
import pickle
import socket

from aiohttp import web
from localstripe import resources, server


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
    logging.basicConfig(level=logging.INFO)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    print(f"localstripe listening on http://{args.host}:{args.port}", flush=True)
    web.run_app(server.app, sock=sock, access_log=None, print=None)


if __name__ == "__main__":
    main()
