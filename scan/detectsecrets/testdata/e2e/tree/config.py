import os

AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
password = "hunter2isnotsafe"
db_password = get_password()
token = "{{ template }}"
api_key = "abc"  # pragma: allowlist secret
# pragma: allowlist nextline secret
secret = "nextline-allowlisted"
HEX = "2b00042f7481c7b056c4b410d28f33cf"
again = "2b00042f7481c7b056c4b410d28f33cf"
uuid_value = "3636dd46-ea21-11e9-81b4-2a2ae2dbcce4"
