/*
 * mail_dict - register the table types that live in the mail library.
 *
 * Exports mail_dict_init(): adds "proxy" (dict_proxy.c) to the table types
 * that dict_open() knows. The util library cannot know about it, because a
 * proxy table talks to a daemon of this mail system. mail_params_init()
 * calls it, so every program that reads main.cf can open proxy: tables.
 * Calling it again (a reload) changes nothing. It cannot fail.
 */

#include "dict.h"
#include "dict_proxy.h"
#include "mail_dict.h"

/* mail_dict_init - make the mail system's table types known, once */
void mail_dict_init(void)
{
    if (dict_open_lookup(DICT_TYPE_PROXY) == 0)
        dict_open_register(DICT_TYPE_PROXY, dict_proxy_open);
}
