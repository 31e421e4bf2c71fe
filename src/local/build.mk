# local: the daemon, plus a module test that links the delivery modules
# (everything but main() in local.c).
LOCAL_OBJS = $(call lib_objs,local)
LOCAL_MOD_OBJS = $(filter-out $(BUILD)/obj/local/local.o,$(LOCAL_OBJS))
PROGRAMS += $(BUILD)/bin/local

$(BUILD)/bin/local: $(LOCAL_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(LOCAL_OBJS) $(LIBS_A) $(ALL_LIBS)

$(BUILD)/test/local/local_test: $(BUILD)/obj/local/local_test.o $(LOCAL_MOD_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $< $(LOCAL_MOD_OBJS) $(LIBS_A) $(ALL_LIBS)
