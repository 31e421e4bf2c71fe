# smtp: the SMTP client is also installed as lmtp (a hard link); the
# program picks the protocol from its name.

.DEFAULT_GOAL := all

PROGRAMS += $(BUILD)/bin/lmtp

$(BUILD)/bin/lmtp: $(BUILD)/bin/smtp
	@echo "  LN      $@"
	@ln -f $< $@
