#ifndef MAIL_DICT_H
#define MAIL_DICT_H

/* mail_dict - table types that need the mail system (proxy:) */

extern void mail_dict_init(void);

#endif
