"""kwali's terminal UI (Textual): a client of the store that holds no domain logic.

Screens call :mod:`kwali.store`; widgets only draw what they are given and post messages.
"""
