# smtpstone: the smtp-source load generator and the smtp-sink test server.
# The directory builds two programs instead of one named after itself; both
# share the helpers in stone_*.c.

# This fragment is read before the Makefile's own "all" rule; without this,
# its first rule would become what a bare "make" builds.
.DEFAULT_GOAL := all

SMTPSTONE_SHARED = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(wildcard src/smtpstone/stone_*.c))

PROGRAMS += $(BUILD)/bin/smtp-source $(BUILD)/bin/smtp-sink

$(BUILD)/bin/smtp-source: $(BUILD)/obj/smtpstone/smtp-source.o $(SMTPSTONE_SHARED) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(LIBS_A) $(ALL_LIBS)

$(BUILD)/bin/smtp-sink: $(BUILD)/obj/smtpstone/smtp-sink.o $(BUILD)/obj/smtpstone/sink_dump.o \
		$(SMTPSTONE_SHARED) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(LIBS_A) $(ALL_LIBS)
