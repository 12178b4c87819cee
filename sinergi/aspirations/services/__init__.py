"""Writes to aspirations, one module per part of the lifecycle. Import from the module you need:

* `intake`     — aspiration_submit (every channel), categories loader
* `reporter`   — what the holder of a tracking code may do: add information, confirm, rate, reopen
* `lifecycle`  — officers: verify, request information, out of scope, archive, disposition, respond,
                 resolve, reject, extend, overdue marking and escalation
* `support`    — dukung, phone verification
* `merge`      — merging duplicates
"""
