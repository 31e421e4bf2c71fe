# bounce: the daemon, plus a module test that links the daemon's modules
# (everything but main() in bounce.c) to compose notices without cleanup.
BOUNCE_OBJS = $(call lib_objs,bounce)
BOUNCE_MOD_OBJS = $(filter-out $(BUILD)/obj/bounce/bounce.o,$(BOUNCE_OBJS))
PROGRAMS += $(BUILD)/bin/bounce

$(BUILD)/bin/bounce: $(BOUNCE_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(BOUNCE_OBJS) $(LIBS_A) $(ALL_LIBS)

$(BUILD)/test/bounce/bounce_notify_test: $(BUILD)/obj/bounce/bounce_notify_test.o $(BOUNCE_MOD_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $< $(BOUNCE_MOD_OBJS) $(LIBS_A) $(ALL_LIBS)
