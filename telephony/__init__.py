"""Asterisk AMI bridge, call state machine and the built-in PBX simulator."""
