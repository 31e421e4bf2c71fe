# smtp: the SMTP/LMTP client, also installed as lmtp (a hard link; the
# program picks the protocol from its name), plus a module test that links
# the client's modules (everything but main() in smtp.c).

.DEFAULT_GOAL := all

SMTP_OBJS = $(call lib_objs,smtp)
SMTP_MOD_OBJS = $(filter-out $(BUILD)/obj/smtp/smtp.o,$(SMTP_OBJS))
PROGRAMS += $(BUILD)/bin/lmtp

$(BUILD)/bin/lmtp: $(BUILD)/bin/smtp
	@echo "  LN      $@"
	@ln -f $< $@

$(BUILD)/test/smtp/smtp_test: $(BUILD)/obj/smtp/smtp_test.o $(SMTP_MOD_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $< $(SMTP_MOD_OBJS) $(LIBS_A) $(ALL_LIBS)
