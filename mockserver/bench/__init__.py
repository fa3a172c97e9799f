"""`mockserver bench`: this server against WireMock and Prism on the same routes and bytes, measured with wrk,
interleaved in one run; plus cold start, build time, memory, a deep page and the PostgreSQL state against SQLite.

command.py (the click command and the order of a run), routes.py (what is measured), load.py (wrk and its Lua),
peers.py (WireMock and Prism), ours.py (our server as a subprocess), compare.py (the interleaved runs), startup.py
(cold start, build, RSS, deep page), postgres.py (a temporary PostgreSQL), processes.py (starting and stopping
everything), machine.py, targets.py and report.py (the result as text, Markdown and JSON).
"""
