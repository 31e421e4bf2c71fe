# Test-only daemons for tests/e2e (never installed): one program, linked
# under several names that select its personality.
TESTDAEMON_OBJS = $(call lib_objs,testdaemons)
TESTDAEMON_NAMES = test-echo test-multi test-event test-trigger test-dgram test-crash
PROGRAMS += $(addprefix $(BUILD)/bin/,$(TESTDAEMON_NAMES))

$(addprefix $(BUILD)/bin/,$(TESTDAEMON_NAMES)): $(TESTDAEMON_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(TESTDAEMON_OBJS) $(LIBS_A) $(ALL_LIBS)
