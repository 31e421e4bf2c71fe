# qmgr: the daemon, and module tests that link the scheduler modules
# (everything but the main program in qmgr.c).
QMGR_OBJS = $(call lib_objs,qmgr)
QMGR_LIB_OBJS = $(filter-out $(BUILD)/obj/qmgr/qmgr.o,$(QMGR_OBJS))
PROGRAMS += $(BUILD)/bin/qmgr

$(BUILD)/bin/qmgr: $(QMGR_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(QMGR_OBJS) $(LIBS_A) $(ALL_LIBS)

$(BUILD)/test/qmgr/%_test: $(BUILD)/obj/qmgr/%_test.o $(QMGR_LIB_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $< $(QMGR_LIB_OBJS) $(LIBS_A) $(ALL_LIBS) -lm
