"""`lotse pbx-sim` as a process: it serves generated calls and stops cleanly on Ctrl-C."""

from __future__ import annotations

import asyncio
import re
import signal
import sys

from telephony.bridge import AmiBridge, BridgeConfig
from tests.integration.telephony.conftest import until

#: `lotse pbx-sim` as started at a terminal. Ctrl-C there raises KeyboardInterrupt; a suite run
#: as a background job (nohup, `&` without job control) hands its children SIGINT ignored,
#: and the SIGINT below never arrived (the test waited for an exit that could not come).
AT_A_TERMINAL = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler);"
    " from agent_console.cli import main; sys.exit(main(sys.argv[1:]))"
)


async def test_pbx_sim_command_serves_calls_and_stops_on_ctrl_c() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        AT_A_TERMINAL,
        "pbx-sim",
        "--port",
        "0",
        "--rate",
        "600",
        "--seed",
        "5",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        match = re.search(r"127\.0\.0\.1:(\d+)", line)
        assert match, line
        bridge = AmiBridge(BridgeConfig(port=int(match.group(1)), secret="s3cret"))
        await bridge.start()
        await bridge.wait_connected(30)
        call = await until(bridge, lambda: next(iter(bridge.tracker.calls.values()), None), 30)
        assert call.caller_name and call.caller_number.startswith("0")
        await bridge.stop()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, err = await asyncio.wait_for(proc.communicate(), 60)
        except TimeoutError:
            proc.kill()  # a failed test leaves no simulator running
            await proc.wait()
            raise
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
