"""The os-haproxy model (HAProxy.xml, model version 5.0.0) as field tables, one module per container.

The tables are data read from the plugin's model XML: every field, default, option list, mask and
ValidationMessage as upstream spells it (haproxy.md section 3).
"""
