"""`lotse recorder`: every queue call the PBX sees, written to the call log (headless).

Above telephony and calllog, below agent_console. Pure parts: `RecorderCore` (recorder.core:
PBX events and call states -> call records, via recorder.facts), `LiveBoard` and
`LiveSnapshot` (recorder.live: callers waiting and agents' states, for the supervisor's
"jetzt" panel and later a wallboard), the queue_log reader (recorder.queue_log). I/O:
`Recorder` (recorder.service: the AMI bridge, read-only, and the ordered writer) and
`import_queue_log` (recorder.importer).
"""
