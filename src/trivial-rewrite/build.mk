# trivial-rewrite: the daemon needs the server skeleton (src/master); the
# module test links the daemon's logic without its main().

TR_LOGIC = rewrite resolve transport
TR_LOGIC_OBJS = $(patsubst %,$(BUILD)/obj/trivial-rewrite/%.o,$(TR_LOGIC))

ifneq ($(wildcard src/master/mail_server.h),)
PROGRAMS += $(BUILD)/bin/trivial-rewrite
$(BUILD)/bin/trivial-rewrite: $(TR_LOGIC_OBJS) $(BUILD)/obj/trivial-rewrite/trivial-rewrite.o $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(LIBS_A) $(ALL_LIBS)
endif

$(BUILD)/test/trivial-rewrite/trivial_rewrite_test: $(BUILD)/obj/trivial-rewrite/trivial_rewrite_test.o $(TR_LOGIC_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(LIBS_A) $(ALL_LIBS)
