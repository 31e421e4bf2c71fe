# The master daemon lives in src/masterd because src/master holds the daemon
# skeleton library (libmaster.a); the program is installed as "master".
MASTERD_OBJS = $(call lib_objs,masterd)
PROGRAMS += $(BUILD)/bin/master

$(BUILD)/bin/master: $(MASTERD_OBJS) $(LIBS_A)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $(MASTERD_OBJS) $(LIBS_A) $(ALL_LIBS)
