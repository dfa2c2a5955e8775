"""`lotse wallboard`: the centre's figures as one web page for the wall screen, and as JSON.

Above recorder and calllog, below agent_console; no Textual. Pure: `wallboard.view` (what
the wall shows, as JSON-ready data, German text) and `wallboard.access` (who may look).
I/O: `wallboard.today` (today's figures from the call log), `wallboard.follower` (its own
read-only view of the PBX), `wallboard.hub` (samples both, pushes changes), and
`wallboard.web` (the aiohttp application and server; static files in `wallboard/static`).
"""
