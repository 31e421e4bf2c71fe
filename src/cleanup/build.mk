# cleanup: the daemon, plus a module test that links the daemon's modules
# (everything but main() in cleanup.c) to drive them without a client.
CLEANUP_OBJS = $(call lib_objs,cleanup)
CLEANUP_MOD_OBJS = $(filter-out $(BUILD)/obj/cleanup/cleanup.o,$(CLEANUP_OBJS))
PROGRAMS += $(BUILD)/bin/cleanup

$(BUILD)/bin/cleanup: $(CLEANUP_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(CLEANUP_OBJS) $(LIBS_A) $(ALL_LIBS)

$(BUILD)/test/cleanup/cleanup_test: $(BUILD)/obj/cleanup/cleanup_test.o $(CLEANUP_MOD_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $< $(CLEANUP_MOD_OBJS) $(LIBS_A) $(ALL_LIBS)
